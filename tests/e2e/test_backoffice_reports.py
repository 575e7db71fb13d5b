"""The back office's reports in a browser: the accountant exports the month and its totals
match the invoices to the cent; the dashboard is axe-clean at 360 px; a role without the
right gets a 404 on each page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page

from guichet.accounts.models import StaffRole
from guichet.backoffice.models import Newsletter
from guichet.billing.models import Invoice, PaymentMethod
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from guichet.core.roles import Role
from guichet.privacy.models import MailingList
from tests.billing.cast import holder, invoiced, plain_invoice
from tests.catalog.factories import OfferingFactory
from tests.factories import AccountFactory
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def staff_page(browser, base_url: str, *roles: str) -> tuple[Page, object]:
    account = AccountFactory(is_staff=True)
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={"secret": "x"})
    for role in roles:
        StaffRole.objects.create(account=account, role=role)
    session = Client()
    session.force_login(account)
    context = browser.new_context(base_url=base_url, locale="fr-CA", accept_downloads=True)
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return context.new_page(), account


def _month(staff) -> None:
    account, dossier = holder()
    first = plain_invoice(account, dossier, "100.00")
    second = plain_invoice(account, dossier, "33.33")
    plain_invoice(account, dossier, "12.34")
    credit_invoice(second, actor=staff, reason="Erreur")
    record_payment(first, amount=first.total, method=PaymentMethod.CHEQUE, actor=staff)


def _download(page: Page, name: str) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return Path(info.value.path())


def test_the_accountant_exports_the_month_and_the_totals_match(browser, base_url):
    page, accountant = staff_page(browser, base_url, Role.ACCOUNTING)
    _month(accountant)
    today = timezone.localdate()
    invoices = Invoice.objects.filter(
        issued_at__date__gte=today.replace(day=1), issued_at__date__lte=today
    )
    expected = sum(invoice.total for invoice in invoices)
    assert expected == Decimal("114.98") + Decimal("38.32") + Decimal("14.19")

    page.goto("/personnel/")
    page.get_by_role("link", name="Exportations comptables et déclarations de taxes").click()
    assert (
        page.locator('[data-total="invoices"]')
        .inner_text()
        .replace("\u202f", " ")
        .replace("\xa0", " ")
        == "167,49 $"
    )
    assert_accessible(page)

    rows = list(csv.reader(io.StringIO(_download(page, "Factures (CSV)").read_text("utf-8-sig"))))
    assert rows[0][7] == "Total"
    assert sum(Decimal(row[7]) for row in rows[1:]) == expected
    assert sorted(row[0] for row in rows[1:]) == sorted(invoice.number for invoice in invoices)

    workbook = openpyxl.load_workbook(io.BytesIO(_download(page, "Factures (Excel)").read_bytes()))
    values = list(workbook.active.iter_rows(values_only=True))[1:]
    assert sum(Decimal(str(row[7])) for row in values) == expected

    notes = list(
        csv.reader(io.StringIO(_download(page, "Notes de crédit (CSV)").read_text("utf-8-sig")))
    )
    assert [row[-1] for row in notes[1:]] == ["38.32"]


def test_the_dashboard_is_axe_clean_at_360_px(browser, base_url):
    page, admin = staff_page(browser, base_url, Role.ADMINISTRATION)
    offering = OfferingFactory(title="Natation — groupe du lundi soir", capacity=3)
    for _n in range(2):
        account, dossier = holder()
        invoiced(account, dossier, offering)
    _month(admin)
    MailingList.objects.create(name="Infolettre", wording="J'accepte.")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/personnel/")
    assert page.get_by_role("heading", name="À faire aujourd’hui").is_visible()
    assert page.locator("svg.chart").count() >= 6
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    for path in ("/personnel/comptabilite/", "/personnel/infolettres/"):
        page.goto(path)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)


def test_a_role_without_the_right_gets_a_404_on_each_page(browser, base_url):
    page, admin = staff_page(browser, base_url, Role.ADMINISTRATION)
    newsletter = Newsletter.objects.create(
        mailing_list=MailingList.objects.create(name="Infolettre", wording="J'accepte."),
        subject="Hiver",
        body="Texte",
        sent_by=admin,
    )
    month = "start=2026-03-01&end=2026-03-31"
    closed = {
        Role.ANIMATION: [
            "/personnel/comptabilite/",
            f"/personnel/comptabilite/factures.csv?{month}",
            f"/personnel/comptabilite/paiements.xlsx?{month}",
            "/personnel/infolettres/",
            f"/personnel/infolettres/{newsletter.pk}/",
        ],
        Role.ACCOUNTING: ["/personnel/infolettres/", f"/personnel/infolettres/{newsletter.pk}/"],
        Role.REGISTRAR: [
            "/personnel/comptabilite/",
            f"/personnel/comptabilite/factures.csv?{month}",
        ],
    }
    for role, paths in closed.items():
        visitor, _account = staff_page(browser, base_url, role)
        for path in paths:
            assert visitor.goto(path).status == 404, (role, path)
        visitor.context.close()
    nobody, _account = staff_page(browser, base_url)  # staff without any role
    assert nobody.goto("/personnel/tableau-de-bord/").status == 404
    assert_accessible(nobody)

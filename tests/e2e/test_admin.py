"""The Django admin, as staff still use it, in a real browser: the index, a list with
editable columns, an offering's change form (dates and times, its sessions in a table) and
a group's permissions pass axe-core, in French (docs/backoffice.md, « The admin »)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from guichet.privacy.models import MailingList
from tests.catalog.factories import OfferingFactory, SessionFactory
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def superuser_page(browser: Browser, base_url: str) -> Page:
    account = AccountFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(account)
    context = browser.new_context(
        base_url=base_url, locale="fr-CA", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return context.new_page()


def test_the_admin_pages_staff_use_pass_axe_in_french(browser, base_url):
    offering = OfferingFactory(title="Aquaforme")
    SessionFactory(offering=offering)
    DossierFactory(first_name="Élise", last_name="Gagnon")
    MailingList.objects.create(name="Infolettre", wording="J'accepte de recevoir l'infolettre.")
    page = superuser_page(browser, base_url)

    page.goto("/admin/")
    expect(page.get_by_role("link", name="Offres", exact=True)).to_be_visible()
    assert_accessible(page)

    page.goto("/admin/dossiers/dossier/")
    expect(page.get_by_text("Gagnon").first).to_be_visible()
    assert_accessible(page)

    # A list whose columns are edited in place: each box has a name.
    page.goto("/admin/privacy/mailinglist/")
    expect(page.get_by_label("Offert — Infolettre")).to_be_checked()
    assert_accessible(page)

    # A change form with a date and a time per moment, and its sessions in a table.
    page.goto("/admin/catalog/offering/")
    page.get_by_role("link", name="Aquaforme").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modification")
    expect(page.get_by_label("Date :").first).to_be_visible()
    expect(page.get_by_label("Heure :").first).to_be_visible()
    assert_accessible(page)

    # A group's permissions: check boxes named in French.
    page.goto("/admin/auth/group/add/")
    page.get_by_label("Nom").fill("Comptables")
    page.get_by_label("Facturation | factures | voir").check()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Comptables")
    assert_accessible(page)

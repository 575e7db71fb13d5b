"""The Django admin, as staff still use it, in a real browser: the index, a list with
editable columns, an offering's change form (dates and times, its sessions in a table) and
a group's permissions pass axe-core, in French (docs/backoffice.md, « The admin »)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
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
    page = context.new_page()
    page.account = account  # type: ignore[attr-defined]
    return page


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


def test_every_admin_list_and_form_passes_axe(browser, base_url):
    """Each model's list, its « add » form where one may add, and a row's change form."""
    offering = OfferingFactory(title="Aquaforme")
    SessionFactory(offering=offering)
    DossierFactory(first_name="Élise", last_name="Gagnon")
    MailingList.objects.create(name="Infolettre", wording="J'accepte de recevoir l'infolettre.")
    page = superuser_page(browser, base_url)
    request = RequestFactory().get("/")
    request.user = page.account  # type: ignore[attr-defined]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        paths = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(request):
            paths.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert_accessible(page)

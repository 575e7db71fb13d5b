"""Every page: axe-core finds no serious violation, in French and English, and at 360 px
wide nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from playwright.sync_api import Page

from tests.dossiers.factories import DossierLinkFactory
from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "/",
    "/conditions/",
    "/confidentialite/",
    "/compte/login/",
    "/compte/signup/",
    "/compte/password/reset/",
    "/compte/confirmation/renvoyer/",
    "/compte/confirm-email/pas-un-lien/",
    "/mon-dossier/identifiant-oublie/",
]
PRIVATE = [
    "/mon-dossier/",
    "/mon-dossier/mes-informations/",
    "/mon-dossier/ma-fiche/",
    "/mon-dossier/mes-fonctions/",
    "/mon-dossier/mes-formations/",
    "/mon-dossier/mes-abonnements/",
    "/mon-dossier/mes-interets/",
    "/mon-dossier/activite/",
    "/mon-dossier/mes-donnees/",
    "/mon-dossier/famille/",
    "/mon-dossier/famille/ajouter/",
    "/mon-dossier/activer/",
    "/mon-dossier/activer/numero/",
    "/demandes/",
    "/demandes/numero-de-dossier/",
    "/compte/securite/",
    "/compte/activite/",
    "/compte/password/change/",
    "/compte/email/",
    "/compte/2fa/",
    "/compte/sessions/",
    "/mon-dossier/mes-evenements/",
    "/inscriptions/mes-inscriptions/",
    "/mon-dossier/mes-factures/",
    "/factures/releve-de-compte/",
    "/factures/releve-24/",
]


def screenshot(page: Page, name: str) -> None:
    folder = Path(django_settings.DATA_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_public_and_private_pages(page: Page, account, password, width):
    DossierLinkFactory(account=account, dossier__first_name=account.first_name)
    page.set_viewport_size({"width": width, "height": 800})
    for path in PUBLIC:
        page.goto(path)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    screenshot(page, f"public-{width}")
    sign_in(page, account.email, password)
    for path in PRIVATE:
        page.goto(path)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    screenshot(page, f"private-{width}")


def test_english_pages(page: Page, account, password):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    for path in PUBLIC[:5]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en-CA"
        assert_accessible(page)
    account.language = "en"  # signing in applies the account's language
    account.save(update_fields=["language"])
    sign_in_en(page, account.email, password)
    page.goto("/compte/securite/")
    assert page.get_by_role("heading", name="My password and security").is_visible()
    assert_accessible(page)
    page.goto("/mon-dossier/mes-factures/")
    assert page.get_by_role("heading", name="My invoices and credits").is_visible()
    assert_accessible(page)


def sign_in_en(page: Page, email: str, password: str) -> None:
    page.goto("/compte/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_staff_admin_pages(page: Page, staff, password):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    page.goto("/admin/")
    # the admin sends staff to the portal's own login
    assert "/compte/login/" in page.url
    assert_accessible(page)

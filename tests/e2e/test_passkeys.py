"""Passkeys (WebAuthn) with Chromium's virtual authenticator: add one, then sign in with it."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_add_a_passkey_then_sign_in_without_password(page: Page, account, password):
    virtual_authenticator(page)
    sign_in(page, account.email, password)
    page.goto("/compte/2fa/webauthn/add/")
    page.get_by_label("Mot de passe").fill(password)  # asked again before adding a key
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Ajouter une clé de sécurité")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Sans mot de passe").check()
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_text("Codes de récupération").first).to_be_visible()
    assert Authenticator.objects.filter(user=account, type=Authenticator.Type.WEBAUTHN).exists()

    page.get_by_role("button", name="Déconnexion").click()
    page.goto("/compte/login/")
    page.get_by_role("button", name="Se connecter avec une clé d'accès").click()
    expect(page.get_by_role("heading", name="Activez votre dossier")).to_be_visible()

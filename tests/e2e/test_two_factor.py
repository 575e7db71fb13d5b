"""Two-factor authentication with an authenticator app (TOTP), code computed as an app would."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_turn_on_totp_then_sign_in_asks_for_the_code(page: Page, account, password):
    sign_in(page, account.email, password)
    page.goto("/compte/securite/")
    assert_accessible(page)
    page.get_by_role("link", name="Gérer la double authentification").click()
    assert_accessible(page)
    page.goto("/compte/2fa/totp/activate/")
    # Turning on a second factor asks for the password again.
    expect(page.get_by_role("heading", name="Confirmer l'accès")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Confirmer").click()
    expect(
        page.get_by_role("heading", name="Activer l'application d'authentification")
    ).to_be_visible()
    assert_accessible(page)
    secret = page.get_by_label("Secret d'authentification").input_value()
    page.get_by_label("Code de l'authentificateur").fill(current_code(secret))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Codes de récupération").first).to_be_visible()

    page.get_by_role("button", name="Déconnexion").click()
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=True):
        sign_in(page, account.email, password)
        expect(page).to_have_url(re.compile(r"/2fa/authenticate/"))
        assert_accessible(page)
        page.get_by_label("Code").fill("000000")
        page.get_by_role("button", name="Connexion", exact=True).click()
        expect(page.get_by_text("Code incorrect")).to_be_visible()
        page.get_by_label("Code").fill(current_code(secret))
        page.get_by_role("button", name="Connexion", exact=True).click()
        expect(page.get_by_role("heading", name="Activez votre dossier")).to_be_visible()

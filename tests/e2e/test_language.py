"""One rule for the language: a signed-in person's language is their account's. The
language link changes it and saves it, emails and documents follow it, and any browser
they sign in on shows it; a visitor who is not signed in keeps the language cookie."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_account_journeys import sign_in
from tests.e2e.test_every_page import sign_in_en

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECOND = "Une deuxième phrase de passe 2026"
THIRD = "Une troisième phrase de passe 2026"


def change_password_en(page: Page, current: str, new: str) -> None:
    page.goto("/compte/password/change/")
    page.get_by_label("Current password").fill(current)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("Confirm the new password").fill(new)
    page.get_by_role("button", name="Change my password").click()


def change_password_fr(page: Page, current: str, new: str) -> None:
    page.goto("/compte/password/change/")
    page.get_by_label("Mot de passe actuel").fill(current)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(new)
    page.get_by_label("Confirmer le nouveau mot de passe").fill(new)
    page.get_by_role("button", name="Changer mon mot de passe").click()


def test_switching_while_signed_in_sets_the_accounts_language_everywhere(
    page: Page, browser: Browser, base_url, account, password, mailbox
):
    sign_in(page, account.email, password)
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    account.refresh_from_db()
    assert account.language == "en"

    # A new sign-in on another browser (no language cookie) shows the account's language.
    other = browser.new_context(base_url=base_url, locale="fr-CA")
    elsewhere = other.new_page()
    sign_in(elsewhere, account.email, password)  # the sign-in page is French: no cookie yet
    expect(elsewhere.locator("html")).to_have_attribute("lang", "en-CA")
    elsewhere.goto("/compte/securite/")
    expect(elsewhere.get_by_role("heading", name="My password and security")).to_be_visible()

    # The next email is in English.
    change_password_en(elsewhere, password, SECOND)
    message = mailbox.wait_for(account.email, "Your password was changed")
    assert "Your password has been changed" in mailbox.body(message)
    other.close()

    # Back to French on the first browser: saved, and the next email is French.
    # The password change signed the other sessions out; this browser kept English.
    sign_in_en(page, account.email, SECOND)
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    account.refresh_from_db()
    assert account.language == "fr"
    change_password_fr(page, SECOND, THIRD)
    message = mailbox.wait_for(account.email, "Votre mot de passe a été changé")
    assert "Votre mot de passe a été changé" in mailbox.body(message)


def test_a_french_session_follows_the_account_switched_to_english_elsewhere(
    page: Page, browser: Browser, base_url, account, password
):
    """The bug: the interface followed each browser's cookie, the emails the account."""
    sign_in(page, account.email, password)
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")

    other = browser.new_context(base_url=base_url, locale="fr-CA")
    elsewhere = other.new_page()
    sign_in(elsewhere, account.email, password)
    elsewhere.get_by_role("button", name="English").click()
    other.close()

    page.goto("/compte/securite/")
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    expect(page.get_by_role("heading", name="My password and security")).to_be_visible()


def test_signing_in_applies_the_accounts_language_over_the_visitors_cookie(
    page: Page, account, password
):
    page.goto("/")
    page.get_by_role("button", name="English").click()  # a visitor: the cookie only
    expect(page.locator("html")).to_have_attribute("lang", "en-CA")
    account.refresh_from_db()
    assert account.language == "fr"

    sign_in_en(page, account.email, password)
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    account.refresh_from_db()
    assert account.language == "fr"
    # Signed out, the browser keeps speaking the account's language.
    page.get_by_role("button", name="Déconnexion").click()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")

"""COMAQ's guide (000) in a browser, by its labels: « Se connecter » in the top bar, the
« Identifiant » and « Mot de passe » of the login, « Connexion », « Mon dossier »'s
« Mon mot de passe » changed with « Modifier », and « Payer mes factures »."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.billing.cast import holder
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Nouveau-Mot-2026"


def test_a_participant_signs_in_changes_the_password_and_finds_the_invoices(
    page: Page, settings, password
):
    settings.GUICHET_PRESET = "comaq"
    account, _dossier = holder(password=password)

    page.goto("/")
    page.get_by_role("link", name="Payer mes factures").click()
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Identifiant").fill(account.email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.get_by_role("heading", name="Mes factures et crédits")).to_be_visible()

    page.get_by_role("link", name="Mon mot de passe").click()
    page.get_by_label("Mot de passe actuel").fill(password)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmer le nouveau mot de passe").fill(NEW_PASSWORD)
    assert_accessible(page)
    page.get_by_role("button", name="Modifier").click()
    expect(page.get_by_role("heading", name="Mon mot de passe et sécurité")).to_be_visible()
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)

    page.get_by_role("button", name="Déconnexion").click()
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Identifiant").fill(account.email)
    page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.get_by_role("link", name="Ajouter/modifier votre photo de profil")).to_be_visible()

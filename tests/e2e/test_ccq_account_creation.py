"""CCQ's guide (003), step 1 then step 2, as a new responsible walks it in a browser:
« Se connecter » and its notice, « Créer un compte », « Création du compte » in two
screens, the confirmation email, then « Lier mon compte à mon dossier » up to
« Sélectionnez un profil »."""

from __future__ import annotations

import bcrypt
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_account_journeys import link_in, sign_in
from tests.organizations.cast import organization
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "marie-helene.demers@exemple.ca"
PASSWORD = "Une phrase de passe bien longue"


def test_a_new_responsible_creates_an_account_in_two_screens_then_links_it(
    page: Page, settings, mailbox
):
    settings.GUICHET_PRESET = "ccq"
    organization(
        "Syndicat local 1234",
        legacy_username="local1234",
        legacy_password_hash=bcrypt.hashpw(b"Local-1234-2019", bcrypt.gensalt(4)).decode(),
    )

    page.goto("/")
    page.get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    expect(page.get_by_text("Nouveau système, nouveau compte requis.")).to_be_visible()
    expect(page.get_by_label("Adresse courriel")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Créer un compte").click()

    expect(page.get_by_role("heading", name="Création du compte")).to_be_visible()
    page.get_by_label("Adresse courriel").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    assert_accessible(page)
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_label("Prénom")).to_be_visible()
    page.get_by_label("Prénom").fill("Marie-Hélène")
    page.get_by_label("Nom", exact=True).fill("Demers")
    page.get_by_role("button", name="Précédent").click()  # back: nothing typed is lost
    expect(page.get_by_label("Adresse courriel")).to_have_value(EMAIL)
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_label("Prénom")).to_have_value("Marie-Hélène")
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Demers")
    page.get_by_label("J'ai lu et j'apprécie les conditions d'utilisation.").check()
    expect(page.get_by_text("Vérification terminée")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Confirmez votre adresse courriel")).to_be_visible()

    page.goto(link_in(mailbox, EMAIL, "Confirmez", "/confirm-email/"))
    page.get_by_role("button", name="Confirmation de mon adresse courriel").click()
    sign_in(page, EMAIL, PASSWORD)

    page.goto("/mon-dossier/")
    expect(page.get_by_role("heading", name="Lier mon compte à mon dossier")).to_be_visible()
    page.get_by_role("link", name="Utiliser mes accès des anciens services en ligne").click()
    page.get_by_role("button", name="Commencer").click()
    page.get_by_label("Nom d'utilisateur des anciens services en ligne").fill("local1234")
    page.get_by_label("Mot de passe des anciens services en ligne").fill("Local-1234-2019")
    page.get_by_role("button", name="Lier", exact=True).click()
    expect(
        page.get_by_text("Votre compte est maintenant lié au dossier de votre organisation.")
    ).to_be_visible()
    page.get_by_role("link", name="Sélectionnez un profil").click()
    expect(page.get_by_role("heading", name="Sélectionnez un profil")).to_be_visible()
    assert_accessible(page)

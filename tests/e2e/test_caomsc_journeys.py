"""CAOMSC in a real browser, with the emails a member receives on a real SMTP server."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from guichet.dossiers.models import DossierLink
from tests.dossiers.factories import DossierFactory
from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "julie2026abc"


@pytest.fixture(autouse=True)
def caomsc(settings):
    settings.GUICHET_PRESET = "caomsc"


@pytest.fixture
def dossier():
    return DossierFactory(
        number="00875",
        first_name="Julie",
        last_name="Côté",
        birth_date=datetime.date(1990, 2, 20),
        home_postal_code="G5C 1A1",
        email="julie.dossier@exemple.ca",
    )


def fill_member_identity(page: Page) -> None:
    page.get_by_label("Matricule").fill("00875")
    page.get_by_label("Nom de famille").fill("Cote")
    page.get_by_label("Date de naissance").fill("20/02/1990")
    page.get_by_label("Code postal").fill("g5c 1a1")


def code_sent_to(mailbox, address: str) -> str:
    body = mailbox.body(mailbox.wait_for(address, "code de confirmation"))
    return re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1)


def test_first_visit_identify_then_create_the_access_then_confirm_and_sign_in(
    page: Page, dossier, mailbox
):
    page.set_viewport_size({"width": 360, "height": 800})  # a phone
    page.goto("/compte/signup/")
    page.get_by_role("link", name="Première visite ? Créer votre accès").click()
    expect(page.get_by_role("heading", name="Première visite ? Créer votre accès")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    fill_member_identity(page)
    expect(page.get_by_text("Vérification terminée")).to_be_visible()
    page.get_by_role("button", name="Inscription").click()

    expect(page.get_by_text("Vous êtes identifié : matricule 00875.")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Courriel", exact=True).fill("julie@exemple.ca")
    page.get_by_label("Confirmer votre courriel").fill("julie@exemple.ca")
    page.get_by_label("Mot de passe", exact=True).fill("motdepasse")  # no digits
    page.get_by_label("Confirmer le mot de passe").fill("motdepasse")
    page.get_by_label("J'ai lu et j'accepte les").check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_label("Courriel", exact=True)).to_have_value("julie@exemple.ca")
    expect(page.get_by_text("au moins 3 lettres et 3 chiffres").nth(1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmer le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_role("heading", name="Confirmez votre adresse courriel")).to_be_visible()
    expect(page.get_by_text("j***@exemple.ca").first).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    enter_code = page.get_by_role("link", name="connectez-vous et entrez le code")
    enter_code_url = enter_code.get_attribute("href")
    assert not DossierLink.objects.exists()  # nothing before the code

    message = mailbox.wait_for("julie@exemple.ca", "Confirmez")
    page.goto(next(u for u in mailbox.links(message) if "/confirm-email/" in u))
    page.get_by_role("button", name="Confirmation de mon adresse courriel").click()
    expect(page.get_by_text("confirmé")).to_be_visible()

    page.goto(enter_code_url)  # the sign-in page first, then back to the code
    page.get_by_label("Courriel").fill("julie@exemple.ca")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.get_by_role("heading", name="Confirmer la liaison")).to_be_visible()
    page.get_by_label("Code de confirmation").fill(code_sent_to(mailbox, dossier.email))
    page.get_by_role("button", name="Lier", exact=True).click()

    expect(page.get_by_role("heading", name="Mon dossier", level=1)).to_be_visible()
    expect(page.get_by_text("Votre compte est maintenant lié au dossier 00875.")).to_be_visible()
    expect(page.get_by_text("00875", exact=True)).to_be_visible()
    link = DossierLink.objects.get(dossier=dossier)
    assert (link.account.email, link.role, link.method) == (
        "julie@exemple.ca",
        "holder",
        "member_identity",
    )
    mailbox.wait_for(dossier.email, "lié")


def test_an_existing_account_links_with_the_member_identity(
    page: Page, account, password, dossier, mailbox
):
    sign_in(page, account.email, password)
    expect(page.get_by_role("heading", name="Activez votre dossier", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Activer mon dossier").click()
    expect(page.get_by_role("heading", name="Lier mon dossier")).to_be_visible()
    assert_accessible(page)
    fill_member_identity(page)
    page.get_by_role("button", name="Lier", exact=True).click()

    expect(page.get_by_role("heading", name="Confirmer la liaison")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code de confirmation").fill(code_sent_to(mailbox, dossier.email))
    page.get_by_role("button", name="Lier", exact=True).click()

    expect(page.get_by_role("heading", name="Mon dossier", level=1)).to_be_visible()
    expect(page.get_by_text("Votre compte est maintenant lié au dossier 00875.")).to_be_visible()
    assert_accessible(page)
    assert DossierLink.objects.get(account=account).dossier == dossier
    mailbox.wait_for(dossier.email, "lié")


def test_a_member_whose_email_on_file_is_dead_asks_staff_instead_of_waiting(
    page: Page, account, password, dossier, mailbox
):
    sign_in(page, account.email, password)
    page.goto("/mon-dossier/activer/membre/")
    fill_member_identity(page)
    page.get_by_role("button", name="Lier", exact=True).click()
    expect(page.get_by_role("heading", name="Confirmer la liaison")).to_be_visible()

    # The code went to j***@exemple.ca, which the member can no longer read.
    expect(
        page.get_by_role("heading", name="Vous n'avez plus accès à j***@exemple.ca ?")
    ).to_be_visible()
    page.get_by_role("link", name="Je n'ai plus accès à cette adresse").click()
    expect(
        page.get_by_role("heading", name="Je n'ai plus accès au courriel de mon dossier")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Téléphone").fill("418 555 0142")
    page.get_by_label("Message à notre personnel").fill(
        "L'adresse était celle de mon ancien emploi."
    )
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_text("Votre demande a été transmise à notre personnel.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Le courriel du dossier ne fonctionne plus")
    ).to_be_visible()
    expect(page.get_by_text("418 555-0142")).to_be_visible()
    assert_accessible(page)
    assert not DossierLink.objects.exists()  # staff check the identity first

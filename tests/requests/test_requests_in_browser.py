"""« Je n'ai pas de numéro de dossier » in a real browser: asked, approved, number emailed."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/compte/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Connexion", exact=True).click()


def staff_page(page: Page, staff, base_url: str) -> Page:
    """A second browser for the agent, signed in with a second factor already passed."""
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(staff)
    context = page.context.browser.new_context(base_url=base_url, locale="fr-CA")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context.new_page()


def test_a_file_number_is_requested_approved_and_emailed(
    page: Page, account, password, staff, mailbox, base_url
):
    sign_in(page, account.email, password)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/demandes/numero-de-dossier/")
    expect(page.get_by_role("heading", name="Je n'ai pas de numéro de dossier")).to_be_visible()
    expect(
        page.get_by_text("au minimum 72 heures avant la période des inscriptions")
    ).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_label("Prénom").fill("Mélanie")
    page.get_by_label("Nom", exact=True).fill("Tremblay")
    page.get_by_label("Date de naissance").fill("1984/02/29")
    page.get_by_label("Adresse").fill("45, avenue Cartier")
    page.get_by_label("Ville").fill("Baie-Comeau")
    page.get_by_label("Code postal").fill("12345")
    page.get_by_label("Téléphone").fill("418 555-0199")
    page.get_by_label("Membres de la famille à inscrire").fill("Léo Tremblay 2015/05/04")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Entrez un code postal canadien")).to_be_visible()
    expect(page.get_by_label("Adresse")).to_have_value("45, avenue Cartier")
    assert_accessible(page)

    page.get_by_label("Code postal").fill("G4Z 1A1")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", name="Demande de numéro de dossier")).to_be_visible()
    expect(page.get_by_text("En attente")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Mes demandes").click()
    expect(page.get_by_role("cell", name="En attente")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    agent = staff_page(page, staff, base_url)
    agent.goto("/demandes/personnel/")
    expect(agent.get_by_role("heading", name="Demandes à traiter")).to_be_visible()
    assert_accessible(agent)
    agent.get_by_role("link", name="Demande de numéro de dossier").click()
    expect(agent.get_by_text("45, avenue Cartier")).to_be_visible()
    assert_accessible(agent)
    agent.get_by_role("button", name="Refuser").click()
    expect(agent.get_by_text("Indiquez la raison du refus")).to_be_visible()
    assert_accessible(agent)
    agent.get_by_role("button", name="Approuver").click()
    expect(agent.get_by_text("Rien à traiter.")).to_be_visible()

    message = mailbox.wait_for(account.email, "Votre numéro de dossier")
    number = re.search(r"Votre numéro de dossier est (\d+)\.", mailbox.body(message)).group(1)
    page.goto("/demandes/")
    page.get_by_role("link", name="Demande de numéro de dossier").click()
    expect(page.get_by_text("Approuvée")).to_be_visible()
    expect(page.get_by_text(number, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Activez votre dossier")).to_be_visible()
    assert_accessible(page)


def test_staff_pages_for_rights_and_the_trail_are_accessible(page: Page, staff, account, base_url):
    agent = staff_page(page, staff, base_url)
    agent.goto("/mon-dossier/personnel/delegations/")
    assert_accessible(agent)
    agent.get_by_label("Trouver un compte (nom ou courriel)").fill(account.email)
    agent.get_by_role("button", name="Rechercher").click()
    agent.get_by_role("link", name=re.compile("Accorder le droit à")).click()
    assert_accessible(agent)
    agent.get_by_label("Date de fin").fill("2099-12-31")
    agent.get_by_role("button", name="Accorder le droit").click()
    expect(agent.get_by_role("cell", name="31 décembre 2099")).to_be_visible()
    assert_accessible(agent)

    agent.goto("/personnel/journal/")
    expect(agent.get_by_role("heading", name="Piste de vérification")).to_be_visible()
    agent.get_by_label("Courriel du compte").fill(account.email)
    agent.get_by_role("button", name="Filtrer").click()
    expect(
        agent.get_by_role("cell", name="Droit d'agir pour d'autres personnes accordé")
    ).to_be_visible()
    assert_accessible(agent)

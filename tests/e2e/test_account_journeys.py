"""A newcomer's journeys through accounts, in a real browser, with real email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Une phrase de passe bien longue"


def fill_signup(
    page: Page,
    email: str,
    password: str = PASSWORD,
    confirm: str | None = None,
    *,
    via_home: bool = True,
):
    if via_home:
        page.goto("/")
        page.get_by_role("link", name="Créer un compte").first.click()
    else:  # CAOMSC's home leads to « Première visite »; the account form is the same one
        page.goto("/compte/signup/")
    expect(page.get_by_role("heading", name="Créer un compte")).to_be_visible()
    page.get_by_label("Prénom").fill("Geneviève")
    page.get_by_label("Nom", exact=True).fill("Lavoie")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_label("Confirmer le mot de passe").fill(confirm or password)
    page.get_by_label("J'ai lu et j'accepte les").check()


def submit_signup(page: Page) -> None:
    page.get_by_role("button", name="Confirmer").click()


def link_in(mailbox, address: str, subject: str, part: str) -> str:
    message = mailbox.wait_for(address, subject)
    return next(link for link in mailbox.links(message) if part in link)


def sign_in(page: Page, email: str, password: str, remember: bool = False) -> None:
    page.goto("/compte/login/")
    # « Courriel »; « Identifiant » (COMAQ) and « Adresse courriel » (CCQ) in their guides.
    page.get_by_label(re.compile("Courriel|Identifiant", re.IGNORECASE)).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    if remember:
        page.get_by_label("Se souvenir de moi").check()
    page.get_by_role("button", name="Connexion", exact=True).click()


def test_signup_confirm_by_email_then_sign_in(page: Page, mailbox):
    fill_signup(page, "genevieve@exemple.ca")
    assert_accessible(page)
    submit_signup(page)
    expect(page.get_by_role("heading", name="Confirmez votre adresse courriel")).to_be_visible()
    assert_accessible(page)

    link = link_in(mailbox, "genevieve@exemple.ca", "Confirmez", "/confirm-email/")
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirmation de mon adresse courriel").click()
    expect(page.get_by_text("confirmé")).to_be_visible()

    sign_in(page, "genevieve@exemple.ca", PASSWORD)
    expect(page.get_by_role("heading", name="Activez votre dossier")).to_be_visible()
    assert_accessible(page)

    page.goto(link)  # the same link again
    expect(page.get_by_text("Ce lien a déjà été utilisé")).to_be_visible()
    assert_accessible(page)


def test_expired_link_is_refused_and_a_new_one_is_sent(page: Page, mailbox):
    fill_signup(page, "tardif@exemple.ca")
    submit_signup(page)
    link = link_in(mailbox, "tardif@exemple.ca", "Confirmez", "/confirm-email/")

    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=True):
        page.goto(link)
        expect(page.get_by_text("Ce lien a expiré")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="M'envoyer un nouveau lien").click()
        message = mailbox.wait_for("tardif@exemple.ca", "Confirmez", count=2)
        new_link = next(u for u in mailbox.links(message) if "/confirm-email/" in u)
        assert new_link != link
        page.goto(new_link)
        page.get_by_role("button", name="Confirmation de mon adresse courriel").click()
        sign_in(page, "tardif@exemple.ca", PASSWORD)
        expect(page.get_by_role("heading", name="Activez votre dossier")).to_be_visible()


def test_wrong_password_gets_a_generic_message(page: Page, account):
    sign_in(page, account.email, "pas le bon mot de passe")
    expect(page.get_by_text("L'adresse courriel ou le mot de passe est incorrect.")).to_be_visible()
    expect(page.get_by_label("Courriel")).to_have_value(account.email)
    assert_accessible(page)
    sign_in(page, "inconnu@exemple.ca", "pas le bon mot de passe")
    expect(page.get_by_text("L'adresse courriel ou le mot de passe est incorrect.")).to_be_visible()


def test_password_reset_by_single_use_link(page: Page, account, mailbox):
    page.goto("/compte/login/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    assert_accessible(page)
    page.get_by_label("Courriel").fill(account.email)
    expect(page.get_by_text("Vérification terminée")).to_be_visible()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", name="Consultez vos courriels")).to_be_visible()

    link = link_in(mailbox, account.email, "Réinitialisez", "/password/reset/key/")
    page.goto(link)
    assert_accessible(page)
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Ma toute nouvelle phrase secrète")
    page.get_by_label("Confirmer le nouveau mot de passe").fill("Ma toute nouvelle phrase secrète")
    page.get_by_role("button", name="Changer mon mot de passe").click()
    expect(page.get_by_role("heading", name="Mot de passe changé")).to_be_visible()
    mailbox.wait_for(account.email, "mot de passe")  # the owner is told

    page.goto(link)  # single use
    expect(page.get_by_text("Ce lien n'est plus valide")).to_be_visible()

    sign_in(page, account.email, "Ma toute nouvelle phrase secrète")
    expect(page.get_by_role("heading", name="Activez votre dossier")).to_be_visible()


def session_cookie(page: Page) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == "sessionid")


def test_remember_me_sets_a_lasting_session_and_its_absence_does_not(
    page: Page, browser, base_url, account, password
):
    sign_in(page, account.email, password, remember=True)
    expect(page.get_by_role("heading", name="Activez votre dossier")).to_be_visible()
    days = (session_cookie(page)["expires"] - timezone.now().timestamp()) / 86400
    assert 29 < days <= 30

    other = browser.new_context(base_url=base_url, locale="fr-CA")
    try:
        second = other.new_page()
        sign_in(second, account.email, password, remember=False)
        expect(second.get_by_role("heading", name="Activez votre dossier")).to_be_visible()
        assert session_cookie(second)["expires"] == -1  # ends with the browser
    finally:
        other.close()


def test_sign_out_ends_the_session(page: Page, account, password):
    sign_in(page, account.email, password)
    page.get_by_role("button", name="Déconnexion").click()
    expect(page.get_by_role("link", name="Connexion").first).to_be_visible()
    page.goto("/compte/securite/")
    expect(page).to_have_url(re.compile(r"/compte/login/"))

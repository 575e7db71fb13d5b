"""Linking an account to its dossier, in a real browser, with the emails a person receives."""

from __future__ import annotations

import datetime
import re

import bcrypt
import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from playwright.sync_api import Page, expect

from guichet.dossiers.models import DossierLink, GuardianRequest, LinkRole
from guichet.dossiers.services import guardians
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.e2e.test_account_journeys import sign_in
from tests.factories import AccountFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def family(email: str = "marie@exemple.ca"):
    DossierFactory(
        number="104523",
        first_name="Marie",
        last_name="Tremblay",
        birth_date=datetime.date(1984, 5, 12),
        email=email,
    )
    return ChildDossierFactory(
        number="104524",
        first_name="Léa",
        last_name="Tremblay",
        birth_date=datetime.date(2015, 9, 14),
    )


def start_linking(page: Page) -> None:
    page.goto("/mon-dossier/activer/")
    expect(page.get_by_role("heading", name="Activez votre dossier", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Activer mon dossier").click()
    expect(page.get_by_role("heading", name="Lier mon dossier")).to_be_visible()
    assert_accessible(page)


def link_by_number(page: Page, number: str, birth_date: str) -> None:
    page.get_by_label("Numéro de dossier").fill(number)
    page.get_by_label("Date de naissance").fill(birth_date)
    page.get_by_role("button", name="Lier", exact=True).click()


def test_baie_comeau_number_and_birth_date_then_the_family(
    page: Page, settings, account, password, mailbox
):
    settings.GUICHET_PRESET = "baie-comeau"
    family()
    sign_in(page, account.email, password)
    start_linking(page)
    link_by_number(page, "104523", "1984/05/12")

    expect(page.get_by_role("heading", name="Ma famille", level=1)).to_be_visible()
    expect(page.get_by_text("Votre compte est maintenant lié au dossier 104523.")).to_be_visible()
    expect(page.get_by_role("heading", name="Marie Tremblay")).to_be_visible()
    assert_accessible(page)
    mailbox.wait_for("marie@exemple.ca", "lié")

    page.get_by_role("link", name="Ajouter un membre de la famille").click()
    assert_accessible(page)
    link_by_number(page, "104524", "2015/09/14")
    expect(page.get_by_role("heading", name="Léa Tremblay")).to_be_visible()
    expect(page.get_by_text("104524", exact=True)).to_be_visible()


def test_demo_asks_for_the_code_sent_to_the_address_on_file(page: Page, account, password, mailbox):
    family()
    sign_in(page, account.email, password)
    start_linking(page)
    link_by_number(page, "104523", "1984/05/12")

    expect(page.get_by_role("heading", name="Confirmer la liaison")).to_be_visible()
    assert_accessible(page)
    body = mailbox.body(mailbox.wait_for("marie@exemple.ca", "code de confirmation"))
    code = re.search(r"^\s+(\d{6})\s*$", body, re.M).group(1)
    page.get_by_label("Code de confirmation").fill(code)
    page.get_by_role("button", name="Lier", exact=True).click()
    expect(page.get_by_role("heading", name="Marie Tremblay")).to_be_visible()


def test_staff_issue_a_linking_code_and_the_person_types_it(
    page: Page, browser, base_url, staff, account, password, mailbox
):
    DossierFactory(number="304677", first_name="Gabriel", email="gabriel@exemple.ca")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    staff_session = Client()
    staff_session.force_login(staff)
    desk = browser.new_context(base_url=base_url, locale="fr-CA")
    try:
        desk.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": staff_session.cookies["sessionid"].value,
                    "url": base_url,
                }
            ]
        )
        agent = desk.new_page()
        agent.goto("/mon-dossier/personnel/code-de-liaison/")
        assert_accessible(agent)
        agent.get_by_label("Numéro de dossier").fill("304677")
        agent.get_by_role("button", name="Émettre un nouveau code de liaison").click()
        expect(agent.get_by_text("a été envoyé à g***@exemple.ca")).to_be_visible()
    finally:
        desk.close()

    body = mailbox.body(mailbox.wait_for("gabriel@exemple.ca", "code de liaison"))
    code = re.search(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){3}", body).group(0)
    sign_in(page, account.email, password)
    page.goto("/mon-dossier/activer/")
    page.get_by_role("link", name="Avec un code de liaison").click()
    assert_accessible(page)
    page.get_by_label("Numéro de dossier").fill("304677")
    page.get_by_label("Code de liaison").fill(code)
    page.get_by_role("button", name="Lier", exact=True).click()
    expect(page.get_by_text("Votre compte est maintenant lié au dossier 304677.")).to_be_visible()
    assert DossierLink.objects.get(account=account).method == "linking_code"


def test_ccq_former_credentials(page: Page, settings, account, password, mailbox):
    settings.GUICHET_PRESET = "ccq"
    dossier = DossierFactory(
        number="204650",
        legacy_username="lbouchard",
        legacy_password_hash=bcrypt.hashpw(b"Ancien-acces-2019", bcrypt.gensalt(4)).decode(),
    )
    sign_in(page, account.email, password)
    page.goto("/mon-dossier/activer/")
    expect(page.get_by_role("heading", name="Lier mon compte à mon dossier")).to_be_visible()
    page.get_by_role("link", name="Utiliser mes accès des anciens services en ligne").click()
    page.get_by_role("button", name="Commencer").click()
    assert_accessible(page)
    page.get_by_label("Nom d'utilisateur des anciens services en ligne").fill("lbouchard")
    page.get_by_label("Mot de passe des anciens services en ligne").fill("Ancien-acces-2019")
    page.get_by_role("button", name="Lier", exact=True).click()
    expect(page.get_by_text("Votre compte est maintenant lié au dossier 204650.")).to_be_visible()
    mailbox.wait_for(dossier.email, "lié")
    dossier.refresh_from_db()
    assert dossier.legacy_password_hash == ""


def test_a_second_guardian_is_approved_then_sees_the_child_and_nothing_of_the_first(
    page: Page, settings, password
):
    settings.GUICHET_PRESET = "baie-comeau"
    child = family()
    first = AccountFactory(first_name="Isabelle", last_name="Premier", email="isa@exemple.ca")
    DossierLinkFactory(account=first, dossier=child, role=LinkRole.GUARDIAN)
    second = AccountFactory(first_name="Marc", last_name="Second", password=password)

    sign_in(page, second.email, password)
    page.goto("/mon-dossier/famille/")
    page.get_by_role("link", name="Ajouter un membre de la famille").click()
    link_by_number(page, "104524", "2015/09/14")
    expect(page.get_by_text("En attente d'approbation")).to_be_visible()
    assert "Léa" not in page.content()  # knowledge alone links nothing: Isabelle decides
    guardians.accept_as_guardian(GuardianRequest.objects.get().pk, actor=first)
    page.reload()
    expect(page.get_by_role("heading", name="Léa Tremblay")).to_be_visible()
    assert_accessible(page)
    content = page.content()
    assert "Isabelle" not in content
    assert "isa@exemple.ca" not in content
    assert DossierLink.objects.filter(dossier=child, role=LinkRole.GUARDIAN).count() == 2

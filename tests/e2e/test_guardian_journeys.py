"""A second guardian for a child, in real browsers, with the emails each person receives.

Knowing the child's number and birth date only lets one ask: the guardian already linked
accepts or refuses from the emailed link, staff decide from the request queue, and the
guardian already linked is told of every addition and can report it."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from guichet.dossiers.models import DossierLink, GuardianRequest, GuardianRequestStatus, LinkRole
from guichet.requests.models import Request, RequestKind
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.e2e.test_account_journeys import sign_in
from tests.factories import AccountFactory
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.support.mailbox import Mailbox

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def baie_comeau(settings):
    settings.GUICHET_PRESET = "baie-comeau"


@pytest.fixture
def lea(password):
    """Léa, whose mother Marie is already her guardian online."""
    child = ChildDossierFactory(
        number="104524",
        first_name="Léa",
        last_name="Tremblay",
        birth_date=datetime.date(2015, 9, 14),
    )
    marie = AccountFactory(
        first_name="Marie", last_name="Tremblay", email="marie@exemple.ca", password=password
    )
    DossierLinkFactory(account=marie, dossier=DossierFactory(number="104523", first_name="Marie"))
    DossierLinkFactory(account=marie, dossier=child, role=LinkRole.GUARDIAN)
    return child


@pytest.fixture
def jean_francois(password):
    return AccountFactory(
        first_name="Jean-François", last_name="Gagnon", email="jf@exemple.ca", password=password
    )


def other_browser(page: Page, base_url: str) -> Page:
    context = page.context.browser.new_context(base_url=base_url, locale="fr-CA")
    return context.new_page()


def staff_browser(page: Page, staff, base_url: str) -> Page:
    """The agent's browser, signed in with a second factor already passed."""
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(staff)
    agent = other_browser(page, base_url)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    agent.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )
    return agent


def ask_for_lea(page: Page) -> None:
    page.goto("/mon-dossier/famille/")
    page.get_by_role("link", name="Ajouter un membre de la famille").click()
    expect(
        page.get_by_text("votre demande attend l'approbation d'un tuteur déjà lié")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Numéro de dossier").fill("104524")
    page.get_by_label("Date de naissance").fill("2015/09/14")
    page.get_by_role("button", name="Lier", exact=True).click()
    expect(page.get_by_text("Votre demande a été envoyée pour le dossier 104524")).to_be_visible()


def link_in(mailbox: Mailbox, address: str, subject: str, pattern: str) -> str:
    body = mailbox.body(mailbox.wait_for(address, subject))
    return re.search(rf"https?://\S+{pattern}\S*", body).group(0)


def test_a_second_parent_asks_and_the_first_accepts_from_the_emailed_link(
    page: Page, base_url, lea, jean_francois, password, mailbox
):
    sign_in(page, jean_francois.email, password)
    ask_for_lea(page)
    expect(page.get_by_text("En attente d'approbation")).to_be_visible()
    assert "Léa" not in page.content()
    assert_accessible(page)

    decide_url = link_in(mailbox, "marie@exemple.ca", "tuteur de Léa", "/famille/demandes/")
    marie = other_browser(page, base_url)
    marie.goto(decide_url)  # signed out: the link goes through sign-in first
    marie.get_by_label("Courriel").fill("marie@exemple.ca")
    marie.get_by_label("Mot de passe", exact=True).fill(password)
    marie.get_by_role("button", name="Connexion", exact=True).click()
    expect(marie.get_by_role("heading", name="Une demande pour devenir tuteur")).to_be_visible()
    expect(
        marie.get_by_text("Jean-François Gagnon demande à être tuteur de Léa Tremblay")
    ).to_be_visible()
    assert_accessible(marie)
    marie.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(marie)
    marie.get_by_role("button", name="Accepter").click()
    expect(
        marie.get_by_text("Jean-François Gagnon est maintenant aussi tuteur de Léa Tremblay")
    ).to_be_visible()

    mailbox.wait_for("jf@exemple.ca", "acceptée")
    mailbox.wait_for("marie@exemple.ca", "ajouté au dossier de Léa")
    page.goto("/mon-dossier/famille/")
    expect(page.get_by_role("heading", name="Léa Tremblay")).to_be_visible()
    assert "marie@exemple.ca" not in page.content()

    marie.goto(decide_url)  # used once: a dead link now
    expect(marie.get_by_role("heading", name="Page introuvable")).to_be_visible()


def test_a_refusal_goes_to_staff_who_approve_and_the_first_guardian_reports_it(
    page: Page, base_url, lea, jean_francois, staff, password, mailbox
):
    marie = other_browser(page, base_url)
    sign_in(page, jean_francois.email, password)
    ask_for_lea(page)

    decide_url = link_in(mailbox, "marie@exemple.ca", "tuteur de Léa", "/famille/demandes/")
    sign_in(marie, "marie@exemple.ca", password)
    marie.goto("/mon-dossier/famille/")
    expect(marie.get_by_role("heading", name="Demandes à décider")).to_be_visible()
    assert_accessible(marie)
    marie.goto(decide_url)
    marie.get_by_role("button", name="Refuser").click()
    expect(marie.get_by_text("Votre refus est enregistré")).to_be_visible()
    mailbox.wait_for("jf@exemple.ca", "personnel")
    assert not DossierLink.objects.filter(account=jean_francois).exists()

    agent = staff_browser(page, staff, base_url)
    agent.goto("/demandes/personnel/")
    expect(agent.get_by_role("heading", name="Tuteurs en attente d'approbation")).to_be_visible()
    assert_accessible(agent)
    agent.get_by_role("link", name="Ajout d'un tuteur").click()
    expect(agent.get_by_text("Refusée par Marie Tremblay, tuteur déjà lié")).to_be_visible()
    expect(agent.get_by_text("104524 — Léa Tremblay")).to_be_visible()
    assert_accessible(agent)
    agent.get_by_role("button", name="Approuver").click()
    expect(agent.get_by_text("Aucun tuteur n'attend d'approbation.")).to_be_visible()
    assert DossierLink.objects.get(account=jean_francois).method == "staff"

    report_url = link_in(mailbox, "marie@exemple.ca", "ajouté au dossier de Léa", "/signalement/")
    marie.goto(report_url)
    expect(marie.get_by_role("heading", name="Signaler un tuteur")).to_be_visible()
    assert_accessible(marie)
    marie.get_by_role("button", name="Envoyer mon signalement").click()
    expect(marie.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    marie.get_by_label("Que doit savoir notre personnel").fill(
        "Nous n'avons pas de garde partagée."
    )
    marie.get_by_role("button", name="Envoyer mon signalement").click()
    expect(marie.get_by_role("heading", name="Signalement d'un tuteur ajouté")).to_be_visible()
    assert_accessible(marie)

    agent.goto("/demandes/personnel/")
    agent.get_by_role("link", name="Signalement d'un tuteur ajouté").click()
    expect(agent.get_by_text("Nous n'avons pas de garde partagée.")).to_be_visible()
    assert_accessible(agent)
    report = Request.objects.get(kind=RequestKind.GUARDIAN_REPORT)
    assert report.submitted_by.email == "marie@exemple.ca"


def test_a_stranger_s_request_waits_and_shows_nothing_of_the_child(
    page: Page, base_url, lea, password, mailbox
):
    stranger = AccountFactory(first_name="Olivier", last_name="Étranger", password=password)
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, stranger.email, password)
    ask_for_lea(page)
    assert_no_horizontal_scroll(page)
    content = page.content()
    assert "Léa" not in content and "Tremblay" not in content
    expect(page.get_by_role("button", name="Retirer ma demande")).to_be_visible()

    page.goto("/demandes/")
    expect(page.get_by_role("cell", name="Ajout d'un tuteur — 104524")).to_be_visible()
    assert "Léa" not in page.content()
    assert_accessible(page)
    page.goto(f"/mon-dossier/photo/{lea.pk}/")
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    page.goto("/inscriptions/mes-inscriptions/")
    assert "Léa" not in page.content()

    page.goto("/mon-dossier/famille/")
    page.get_by_role("button", name="Retirer ma demande").click()
    expect(page.get_by_text("Votre demande a été retirée.")).to_be_visible()
    assert GuardianRequest.objects.get().status == GuardianRequestStatus.WITHDRAWN

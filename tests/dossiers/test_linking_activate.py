"""« Activez votre dossier »: the guides' two choices, and the methods the preset enables."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet.dossiers.services import linking
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/mon-dossier/activer/"


def test_both_choices_are_offered_with_the_first_method_and_the_request_form(client, account):
    client.force_login(account)
    page = text_of(client.get(URL))
    assert "<h1>Activez votre dossier</h1>" in page
    assert "J'ai un numéro de dossier" in page
    assert "Je n'ai pas de numéro de dossier" in page
    assert 'href="/mon-dossier/activer/numero/">Activer mon dossier' in page
    assert 'href="/demandes/numero-de-dossier/"' in page
    for other in ("membre", "anciens-acces", "code"):  # the demo enables every method
        assert f'href="/mon-dossier/activer/{other}/"' in page
    assert "Il ne faut pas créer un compte avec les informations d'un enfant" in page


def test_ccq_starts_with_former_credentials_and_offers_the_code(client, account, settings):
    settings.GUICHET_PRESET = "ccq"
    client.force_login(account)
    page = text_of(client.get(URL))
    assert "<h1>Lier mon compte à mon dossier</h1>" in page  # guide 003, step 2
    assert (
        'href="/mon-dossier/activer/anciens-acces/">'
        "Utiliser mes accès des anciens services en ligne" in page
    )
    assert 'href="/mon-dossier/activer/code/"' in page
    assert "/mon-dossier/activer/numero/" not in page
    assert client.get("/mon-dossier/activer/numero/").status_code == 404


def test_ccq_method_page_starts_with_commencer_then_shows_the_form(client, account, settings):
    settings.GUICHET_PRESET = "ccq"
    client.force_login(account)
    first = text_of(client.get("/mon-dossier/activer/anciens-acces/"))
    assert "<h1>Liaison d'un profil</h1>" in first
    assert ">Commencer</button>" in first
    assert 'name="password"' not in first
    form = text_of(client.get("/mon-dossier/activer/anciens-acces/?commencer=1"))
    assert 'name="password"' in form
    assert ">Lier</button>" in form


def test_other_presets_keep_their_words(client, account, settings):
    settings.GUICHET_PRESET = "umq"
    client.force_login(account)
    assert "<h1>Activez votre dossier</h1>" in text_of(client.get(URL))
    page = text_of(client.get("/mon-dossier/activer/code/"))
    assert "Lier mon dossier" in page
    assert "Commencer" not in page
    assert ">Lier</button>" in page


def test_the_linking_form_uses_the_guides_labels(client, account, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    client.force_login(account)
    page = text_of(client.get("/mon-dossier/activer/numero/"))
    assert "Lier mon dossier" in page
    assert "Numéro de dossier" in page
    assert "Date de naissance" in page
    assert ">Lier</button>" in page


def test_an_account_already_linked_is_told(client, account):
    link = DossierLinkFactory(account=account)
    client.force_login(account)
    page = text_of(client.get(URL))
    assert f"Votre compte est déjà lié au dossier {link.dossier.number}" in page


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_activate_page_points_to_a_pending_confirmation_code(client, account, settings):
    settings.GUICHET_PRESET = "demo"
    dossier = DossierFactory(birth_date=datetime.date(1980, 1, 1))
    outcome = linking.link_by_number(
        actor=account, number=dossier.number, birth_date=dossier.birth_date
    )
    assert outcome.status == linking.Status.CONFIRMATION_SENT
    client.force_login(account)
    html = client.get(reverse("dossiers:activate")).content.decode()
    assert reverse("dossiers:link_confirm") in html

"""The privacy policy is written from what the deployment does: the preset's features
(what is collected), the retention rules configured and the processors the settings name;
in French and English; linked from every footer and from « Mes données »."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from guichet import presets
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def policy(client, settings, slug: str, language: str = "fr") -> str:
    settings.GUICHET_PRESET = slug
    if language != "fr":
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/confidentialite/")
    assert response.status_code == 200
    return text_of(response)


def test_comaq_tells_of_membership_documents_and_their_retention(client, settings):
    text = policy(client, settings, "comaq")
    assert "résolution d'embauche, copies de diplôme" in text
    assert "supprimés 365 jours après la décision" in text
    assert "jamais envoyée est supprimé après 48 heures" in text
    assert "en vue du titre OMA" in text
    assert "répertoire des membres" in text
    assert "numéro d'assurance sociale" not in text  # COMAQ issues no Relevé 24
    assert "enfants" not in text


def test_baie_comeau_tells_of_the_releve_24_nas(client, settings):
    text = policy(client, settings, "baie-comeau")
    assert "numéro d'assurance sociale (NAS), demandé seulement pour produire le Relevé 24" in text
    assert "Relevés 24 produits sont conservés 6 ans" in text
    assert "Votre famille : les enfants" in text
    assert "demande d'adhésion" not in text  # a city has no members


def test_an_operator_without_billing_names_no_payment_provider(client, settings):
    settings.GUICHET_PAYMENT_PROVIDER = "stripe"
    assert "Stripe" in policy(client, settings, "comaq")
    text = policy(client, settings, "ccq")
    assert "Stripe" not in text and "factures" not in text
    assert "relations avec des organisations" in text


def test_processors_and_retention_follow_the_settings(client, settings, monkeypatch):
    settings.GUICHET_PAYMENT_PROVIDER = ""
    settings.GUICHET_RETENTION_INACTIVE_YEARS = None
    text = policy(client, settings, "comaq")
    assert "Stripe" not in text
    assert "relais 127.0.0.1" in text  # the SMTP server the tests send through
    assert "rien n'est fermé automatiquement" in text

    settings.GUICHET_PAYMENT_PROVIDER = "stripe"
    settings.GUICHET_RETENTION_INACTIVE_YEARS = 3
    comaq = presets.by_name("comaq")
    monkeypatch.setattr(
        presets, "active", lambda: replace(comaq, membership_documents_kept_days=None)
    )
    text = policy(client, settings, "comaq")
    assert "Paiements par carte : Stripe" in text
    assert "Un compte sans connexion depuis 3 ans est fermé" in text
    assert "conservés jusqu'à la fermeture du compte" in text
    assert "365 jours" not in text


def test_the_policy_in_english(client, settings):
    text = policy(client, settings, "baie-comeau", language="en")
    assert "What we collect" in text
    assert "Your social insurance number (NAS), asked only to issue the Relevé 24" in text
    assert "Ce que nous recueillons" not in text


def test_linked_from_every_footer_and_from_my_data(client, settings, account):
    settings.GUICHET_PRESET = "comaq"
    assert 'href="/confidentialite/"' in client.get("/").content.decode()
    client.force_login(account)
    page = client.get(reverse("dossiers:my_data")).content.decode()
    assert page.count('href="/confidentialite/"') == 2  # the page itself and the footer


def test_it_says_whether_the_person_sees_who_of_the_staff_consulted(client, settings):
    settings.GUICHET_STAFF_VIEWS_NAMED = None
    comaq = policy(client, settings, "comaq")
    assert "avec le nom de qui l'a consulté" in comaq
    city = policy(client, settings, "baie-comeau")
    assert "pas qui" in city and "avec le nom de qui" not in city
    settings.GUICHET_STAFF_VIEWS_NAMED = True
    assert "avec le nom de qui l'a consulté" in policy(client, settings, "baie-comeau")

"""After a refusal, the result page offers what to do next, never a dead end."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from guichet import presets
from guichet.registrations.services.register import submit_cart
from tests.registrations.engine_support import add_child, make_offering, make_option, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def result_page(client, account, lines) -> str:
    result = submit_cart(actor=account, lines=lines, idempotency_key=uuid.uuid4().hex)
    client.force_login(account)
    return text_of(client.get(reverse("registrations:result", args=[result["key"]])))


def test_a_child_too_old_gets_other_activities_the_family_page_and_the_contact(client, settings):
    settings.GUICHET_PRESET = "baie-comeau"
    guardian, _ = make_person()
    child = add_child(guardian, first_name="Noé")  # born in 2016
    toddlers = make_offering(title="Éveil aquatique", min_age=3, max_age=5)

    html = result_page(client, guardian, [(toddlers, child, {}, {})])

    assert "Inscription refusée" in html and "Cette activité est offerte aux 3 à 5 ans" in html
    assert f'href="{reverse("catalog:list")}?kind=activity"' in html
    assert "Voir les autres activités" in html
    assert f'href="{reverse("dossiers:household")}"' in html
    contact = presets.by_name("baie-comeau").contact
    assert f'href="mailto:{contact.email}"' in html


def test_no_family_page_where_the_operator_has_no_households(client, settings):
    settings.GUICHET_PRESET = "comaq"
    account, dossier = make_person()
    members = make_offering(kind="training", title="Budget", members_only=True)

    html = result_page(client, account, [(members, dossier, {}, {})])

    assert "Voir les autres formations" in html
    assert reverse("dossiers:household") not in html


def test_someone_already_registered_is_sent_to_their_registrations(client):
    account, dossier = make_person()
    offering = make_offering()
    submit_cart(actor=account, lines=[(offering, dossier, {}, {})], idempotency_key="first")

    html = result_page(client, account, [(offering, dossier, {}, {})])

    assert f'href="{reverse("registrations:mine")}"' in html
    assert "Voir mes inscriptions" in html


def test_a_full_option_offers_to_start_again_without_it(client):
    account, dossier = make_person()
    offering = make_offering()
    gala = make_option(offering, capacity=1)
    other, other_dossier = make_person()
    submit_cart(
        actor=other, lines=[(offering, other_dossier, {gala.pk: 1}, {})], idempotency_key="x"
    )

    html = result_page(client, account, [(offering, dossier, {gala.pk: 1}, {})])

    assert "L'option « Soirée gala » est complète." in html
    assert f'href="{reverse("registrations:start", args=[offering.slug])}"' in html
    assert "Recommencer sans cette option" in html


def test_the_waiting_list_points_to_where_the_position_is_followed(client):
    account, dossier = make_person()
    offering = make_offering(capacity=0)

    html = result_page(client, account, [(offering, dossier, {}, {})])

    assert "liste d'attente" in html
    assert f'href="{reverse("registrations:mine")}"' in html

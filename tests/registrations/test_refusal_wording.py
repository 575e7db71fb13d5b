"""A refusal's words agree with nobody's gender: the dossier records none, so they are neutral."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from guichet.registrations.services.register import submit_cart
from tests.registrations.engine_support import add_child, make_offering, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def test_registering_twice_reads_neutrally_on_the_result_page(client):
    guardian, _ = make_person()
    lea = add_child(guardian, first_name="Léa", last_name="Tremblay")
    offering = make_offering()
    submit_cart(actor=guardian, lines=[(offering, lea, {}, {})], idempotency_key=uuid.uuid4().hex)

    again = submit_cart(
        actor=guardian, lines=[(offering, lea, {}, {})], idempotency_key=uuid.uuid4().hex
    )
    client.force_login(guardian)
    html = text_of(client.get(reverse("registrations:result", args=[again["key"]])))

    assert "Léa Tremblay a déjà une inscription ou une place sur la liste d'attente." in html
    assert "inscrit ou" not in html and "Non inscrit" not in html
    assert "Inscription refusée" in html


def test_a_full_offering_reads_neutrally_on_the_result_page(client):
    guardian, _ = make_person()
    first, second = add_child(guardian), add_child(guardian)
    offering = make_offering(capacity=1)
    result = submit_cart(
        actor=guardian,
        lines=[(offering, first, {}, {}), (offering, second, {}, {})],
        idempotency_key=uuid.uuid4().hex,
    )
    client.force_login(guardian)
    html = text_of(client.get(reverse("registrations:result", args=[result["key"]])))

    assert "Complet\xa0: l'inscription est sur la liste d'attente." in html
    assert "ajouté" not in html

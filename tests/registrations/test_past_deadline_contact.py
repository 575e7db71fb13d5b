"""Past the offering's deadline, the cancel and modify pages say how to reach the operator."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet import presets
from guichet.registrations.models import Registration
from guichet.registrations.services.changes import ChangeRefused, cancel
from guichet.registrations.services.register import submit_cart
from tests.registrations.engine_support import make_offering, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def registered_past_the_deadline():
    account, dossier = make_person()
    offering = make_offering(change_deadline=timezone.now() - datetime.timedelta(minutes=1))
    submit_cart(
        actor=account, lines=[(offering, dossier, {}, {})], idempotency_key=uuid.uuid4().hex
    )
    return account, Registration.objects.get(participant=dossier)


@pytest.mark.parametrize("preset", sorted(presets.PRESETS))
def test_every_preset_has_a_contact_for_its_people(preset):
    contact = presets.by_name(preset).contact
    assert contact is not None and "@" in contact.email and contact.phone


@pytest.mark.parametrize("page", ["cancel", "modify"])
def test_past_the_deadline_the_page_gives_the_operators_email_and_phone(client, settings, page):
    settings.GUICHET_PRESET = "baie-comeau"
    contact = presets.by_name("baie-comeau").contact
    account, registration = registered_past_the_deadline()
    client.force_login(account)

    response = client.get(reverse(f"registrations:{page}", args=[registration.pk]))

    html = text_of(response)
    assert "La date limite pour modifier ou annuler en ligne est passée." in html
    assert f'href="mailto:{contact.email}"' in html
    assert f'href="tel:+1{contact.phone.replace(" ", "").replace("-", "")}"' in html
    assert "Ville de Baie-Comeau" in html


def test_the_services_refusal_names_the_contact_too(settings):
    settings.GUICHET_PRESET = "comaq"
    contact = presets.by_name("comaq").contact
    account, registration = registered_past_the_deadline()

    with pytest.raises(ChangeRefused) as refusal:
        cancel(registration, actor=account)

    assert contact.email in str(refusal.value) and contact.phone in str(refusal.value)

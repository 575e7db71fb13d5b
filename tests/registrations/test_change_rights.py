"""Changing a registration needs a right in force today; offers decline only on request;
an offered spot gives back no option it never took."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.dossiers.models import Delegation, DossierLink
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.registrations.services.changes import cancel
from guichet.registrations.services.register import submit_cart
from tests.registrations.engine_support import (
    add_child,
    make_delegate,
    make_offering,
    make_option,
    make_person,
)

pytestmark = pytest.mark.django_db


def submit(actor, dossier, offering, options=None) -> Registration:
    line = submit_cart(
        actor=actor,
        lines=[(offering, dossier, options or {}, {})],
        idempotency_key=uuid.uuid4().hex,
        right_for=None,
    )["lines"][0]
    return Registration.objects.get(pk=line["registration"])


def test_a_delegate_whose_delegation_ended_can_read_but_not_cancel(client):
    delegate, _ = make_delegate()
    _person, dossier = make_person()
    registration = submit(delegate, dossier, make_offering())
    Delegation.objects.filter(account=delegate).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(delegate)

    assert client.get(reverse("registrations:detail", args=[registration.pk])).status_code == 200
    url = reverse("registrations:cancel", args=[registration.pk])
    assert client.post(url).status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.HELD


def test_a_guardian_whose_link_ended_cannot_change_the_childs_registration(client):
    guardian, _ = make_person()
    child = add_child(guardian)
    registration = submit(guardian, child, make_offering())
    DossierLink.objects.filter(account=guardian, dossier=child).update(ended_at=timezone.now())
    client.force_login(guardian)

    for name in ("cancel", "modify", "confirm"):
        url = reverse(f"registrations:{name}", args=[registration.pk])
        assert client.post(url).status_code == 404


def test_an_offer_is_declined_only_by_the_decline_button(client):
    offering = make_offering(capacity=1)
    first, first_dossier = make_person()
    second, second_dossier = make_person()
    held = submit(first, first_dossier, offering)
    waiting = submit(second, second_dossier, offering)
    cancel(held, actor=first)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED
    client.force_login(second)

    client.post(reverse("registrations:offer", args=[waiting.pk]), {})

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED


def test_cancelling_an_offered_spot_gives_back_no_option(client):
    offering = make_offering(capacity=1)
    gala = make_option(offering, capacity=5)
    first, first_dossier = make_person()
    second, second_dossier = make_person()
    held = submit(first, first_dossier, offering, {gala.pk: 1})
    waiting = submit(second, second_dossier, offering, {gala.pk: 1})
    gala.refresh_from_db()
    assert gala.taken == 1  # the waiting registration's option is not counted yet
    cancel(held, actor=first)  # the spot is offered to the second person
    gala.refresh_from_db()
    assert gala.taken == 0
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED

    cancel(waiting, actor=second)

    gala.refresh_from_db()
    assert gala.taken == 0

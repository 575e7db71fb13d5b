"""Waiting list: arrival order, the sweeper frees holds, offers expire and pass on."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.utils import timezone

from guichet.registrations.models import Registration
from guichet.registrations.services.changes import decline_offer
from guichet.registrations.services.register import submit_cart
from guichet.registrations.services.waitlist import (
    OfferClosed,
    accept_offer,
    expire_offers,
    release_expired_holds,
)
from tests.registrations.engine_support import make_offering, make_person

pytestmark = pytest.mark.django_db


def register(offering, who):
    account, dossier = who
    line = submit_cart(
        actor=account,
        lines=[(offering, dossier, {}, {})],
        idempotency_key=uuid.uuid4().hex,
        right_for=None,
    )["lines"][0]
    return Registration.objects.get(pk=line["registration"])


def status(registration) -> str:
    registration.refresh_from_db()
    return registration.status


def test_expired_hold_frees_the_spot_and_offers_it_to_the_first_waiting(
    mailbox, django_capture_on_commit_callbacks
):
    offering = make_offering(capacity=1, hold_minutes=20, offer_hours=24)
    people = [make_person() for _ in range(3)]
    holder, first, second = (register(offering, who) for who in people)
    assert [status(r) for r in (holder, first, second)] == ["held", "waiting", "waiting"]
    later = timezone.now() + datetime.timedelta(minutes=21)
    with django_capture_on_commit_callbacks(execute=True):
        assert release_expired_holds(later) == 1
    assert [status(r) for r in (holder, first, second)] == ["expired", "offered", "waiting"]
    first.refresh_from_db()
    assert first.offer_expires_at == later + datetime.timedelta(hours=24)
    offering.refresh_from_db()
    assert offering.spots_taken == 1
    message = mailbox.wait_for(people[1][0].email, "Une place s'est libérée")
    assert f"/inscriptions/offre/{first.pk}/" in mailbox.body(message)


def test_confirmed_registrations_are_not_swept():
    offering = make_offering(capacity=1)
    registration = register(offering, make_person())
    Registration.objects.filter(pk=registration.pk).update(status="confirmed")
    assert release_expired_holds(timezone.now() + datetime.timedelta(days=1)) == 0


def test_unanswered_offer_passes_to_the_next_in_arrival_order():
    offering = make_offering(capacity=1, offer_hours=2)
    holder, first, second = (register(offering, make_person()) for _ in range(3))
    release_expired_holds(timezone.now() + datetime.timedelta(hours=1))
    assert status(first) == "offered"
    assert expire_offers(timezone.now() + datetime.timedelta(hours=4)) == 1
    assert [status(first), status(second)] == ["expired", "offered"]
    offering.refresh_from_db()
    assert offering.spots_taken == 1


def test_accepting_an_offer_confirms_a_free_registration():
    offering = make_offering(capacity=1, member_price=0, non_member_price=0)
    holder = register(offering, make_person())
    who = make_person()
    waiting = register(offering, who)
    release_expired_holds(timezone.now() + datetime.timedelta(hours=1))
    accept_offer(waiting, actor=who[0])
    assert status(waiting) == "confirmed"
    assert status(holder) == "expired"


def test_accepting_an_offer_with_a_price_waits_for_payment_with_an_invoice():
    offering = make_offering(capacity=1)
    register(offering, make_person())
    who = make_person()
    waiting = register(offering, who)
    release_expired_holds(timezone.now() + datetime.timedelta(hours=1))
    accept_offer(waiting, actor=who[0])
    assert status(waiting) == "pending_payment"
    assert waiting.invoices.get().payer_account == who[0]


def test_an_expired_offer_cannot_be_accepted():
    offering = make_offering(capacity=1, offer_hours=1)
    register(offering, make_person())
    who = make_person()
    waiting = register(offering, who)
    release_expired_holds(timezone.now() + datetime.timedelta(hours=1))
    later = timezone.now() + datetime.timedelta(hours=3)
    with time_machine.travel(later), pytest.raises(OfferClosed):
        accept_offer(waiting, actor=who[0])


def test_declining_an_offer_passes_it_on():
    offering = make_offering(capacity=1)
    register(offering, make_person())
    who = make_person()
    first = register(offering, who)
    second = register(offering, make_person())
    release_expired_holds(timezone.now() + datetime.timedelta(hours=1))
    decline_offer(first, actor=who[0])
    assert [status(first), status(second)] == ["cancelled", "offered"]


def test_sweeper_offers_a_spot_that_is_free_while_people_wait(capsys):
    from django.core.management import call_command

    from guichet.catalog.models import Offering

    offering = make_offering(capacity=1)
    register(offering, make_person())
    waiting = register(offering, make_person())
    # A spot freed without passing through the waiting list (e.g. staff lowered the count).
    Offering.objects.filter(pk=offering.pk).update(capacity=2)
    call_command("sweep_registrations")
    assert "filled: 1" in capsys.readouterr().out
    assert status(waiting) == "offered"

"""Cancel and modify: before the deadline online, after it staff only; option capacity."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.registrations.models import Registration
from guichet.registrations.services.changes import ChangeRefused, cancel, modify
from guichet.registrations.services.register import submit_cart
from tests.factories import AccountFactory
from tests.registrations.engine_support import make_offering, make_option, make_person

pytestmark = pytest.mark.django_db


def register(offering, who, options=None):
    account, dossier = who
    line = submit_cart(
        actor=account,
        lines=[(offering, dossier, options or {}, {})],
        idempotency_key=uuid.uuid4().hex,
        right_for=None,
    )["lines"][0]
    return Registration.objects.get(pk=line["registration"])


def test_cancel_before_deadline_frees_the_spot_and_offers_it(
    mailbox, django_capture_on_commit_callbacks
):
    offering = make_offering(capacity=1)
    who = make_person()
    registration = register(offering, who)
    waiting = register(offering, make_person())
    with django_capture_on_commit_callbacks(execute=True):
        cancel(registration, actor=who[0])
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == "cancelled" and registration.cancelled_by == who[0]
    assert waiting.status == "offered"
    mailbox.wait_for(who[0].email, "Inscription annulée")


def test_cancel_after_deadline_is_refused_online():
    offering = make_offering(change_deadline=timezone.now() - datetime.timedelta(minutes=1))
    who = make_person()
    registration = register(offering, who)
    with pytest.raises(ChangeRefused, match="La date limite pour modifier ou annuler en ligne"):
        cancel(registration, actor=who[0])
    registration.refresh_from_db()
    assert registration.status == "held"


def test_staff_cancel_after_deadline():
    offering = make_offering(change_deadline=timezone.now() - datetime.timedelta(minutes=1))
    registration = register(offering, make_person())
    registrar = AccountFactory(is_staff=True)
    StaffRole.objects.create(account=registrar, role="registrar")
    cancel(registration, actor=registrar)
    registration.refresh_from_db()
    offering.refresh_from_db()
    assert registration.status == "cancelled" and offering.spots_taken == 0


def test_modify_options_within_capacity():
    offering = make_offering()
    gala = make_option(offering, capacity=1, max_per_registration=2)
    first_person, second_person = make_person(), make_person()
    first = register(offering, first_person)
    second = register(offering, second_person)
    modify(first, {gala.pk: 1}, {"taille": "L"}, actor=first_person[0])
    with pytest.raises(ChangeRefused, match="complète"):
        modify(second, {gala.pk: 1}, {}, actor=second_person[0])
    gala.refresh_from_db()
    assert gala.taken == 1
    modify(first, {}, {}, actor=first_person[0])
    gala.refresh_from_db()
    assert gala.taken == 0
    modify(second, {gala.pk: 1}, {}, actor=second_person[0])
    second.refresh_from_db()
    assert [line.option_id for line in second.option_lines.all()] == [gala.pk]
    first.refresh_from_db()
    assert first.answers == {}


def test_modify_after_deadline_is_refused():
    offering = make_offering(change_deadline=timezone.now() - datetime.timedelta(minutes=1))
    who = make_person()
    registration = register(offering, who)
    with pytest.raises(ChangeRefused):
        modify(registration, {}, {"x": "y"}, actor=who[0])


def test_a_companion_keeps_their_name_when_the_quantity_changes():
    offering = make_offering()
    companion = make_option(offering, kind="companion", capacity=10, max_per_registration=2)
    who = make_person()
    registration = register(offering, who, {companion.pk: 1})
    registration.option_lines.update(companion_name="Sylvie Gagnon")

    modify(registration, {companion.pk: 2}, {}, actor=who[0])

    rows = registration.option_lines.order_by("id")
    assert [(row.quantity, row.companion_name) for row in rows] == [
        (1, "Sylvie Gagnon"),
        (1, ""),
    ]

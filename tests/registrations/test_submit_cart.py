"""Submitting a cart: rights, eligibility, one per person, household cap, prices, idempotency."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent
from guichet.registrations.models import Registration, Submission
from guichet.registrations.services.register import confirm, submit_cart
from tests.dossiers.factories import DossierFactory
from tests.registrations.engine_support import (
    add_child,
    make_delegate,
    make_offering,
    make_option,
    make_person,
)

pytestmark = pytest.mark.django_db


def submit(actor, *lines, key=None):
    return submit_cart(
        actor=actor, lines=lines, idempotency_key=key or uuid.uuid4().hex, right_for=None
    )


def test_self_registration_holds_a_spot_at_the_non_member_price():
    account, dossier = make_person()
    offering = make_offering(hold_minutes=15)
    result = submit(account, (offering, dossier, {}, {"taille": "M"}))
    line = result["lines"][0]
    assert line["outcome"] == "held"
    registration = Registration.objects.get(pk=line["registration"])
    assert registration.status == "held"
    assert registration.unit_price == Decimal("60.00")
    assert registration.price_category == "non_member"
    assert registration.answers == {"taille": "M"}
    assert registration.right == "self"
    assert registration.held_until - registration.created_at == datetime.timedelta(minutes=15)
    offering.refresh_from_db()
    assert offering.spots_taken == 1
    event = AuditEvent.objects.get(action=Action.REGISTERED)
    assert event.dossier == dossier and event.actor == account


def test_member_pays_the_member_price_and_options_are_copied():
    account, dossier = make_person()
    dossier.member_until = timezone.localdate() + datetime.timedelta(days=365)
    dossier.save()
    offering = make_offering()
    gala = make_option(offering)
    result = submit(account, (offering, dossier, {gala.pk: 1}, {}))
    registration = Registration.objects.get(pk=result["lines"][0]["registration"])
    assert registration.unit_price == Decimal("40.00")
    assert registration.amount_due == Decimal("115.00")
    gala.refresh_from_db()
    assert gala.taken == 1


def test_refusal_from_eligibility_check_is_explained():
    account, dossier = make_person()
    offering = make_offering(members_only=True)
    line = submit(account, (offering, dossier, {}, {}))["lines"][0]
    assert line["outcome"] == "refused"
    assert "réservée aux membres" in line["reason"] or "members only" in line["reason"]
    assert not Registration.objects.exists()
    offering.refresh_from_db()
    assert offering.spots_taken == 0


def test_a_person_registers_once_per_offering():
    account, dossier = make_person()
    offering = make_offering()
    submit(account, (offering, dossier, {}, {}))
    line = submit(account, (offering, dossier, {}, {}))["lines"][0]
    assert line["outcome"] == "refused"
    assert "a déjà une inscription" in line["reason"]
    assert Registration.objects.count() == 1


def test_nobody_registers_a_stranger():
    account, _ = make_person()
    stranger = DossierFactory()
    line = submit(account, (make_offering(), stranger, {}, {}))["lines"][0]
    assert line["outcome"] == "refused"
    assert not Registration.objects.exists()


def test_guardian_registers_children_each_line_on_its_own():
    guardian, _ = make_person()
    first, second, third = (add_child(guardian) for _ in range(3))
    offering = make_offering(capacity=1, household_cap=2)
    result = submit(guardian, *[(offering, child, {}, {}) for child in (first, second, third)])
    outcomes = [line["outcome"] for line in result["lines"]]
    assert outcomes == ["held", "waiting", "refused"]
    assert "limite de 2" in result["lines"][2]["reason"]
    assert Registration.objects.get(participant=first).right == "guardian"


def test_full_option_refuses_only_its_line():
    guardian, _ = make_person()
    kids = [add_child(guardian) for _ in range(2)]
    offering = make_offering()
    gala = make_option(offering, capacity=1)
    result = submit(guardian, *[(offering, kid, {gala.pk: 1}, {}) for kid in kids])
    assert [line["outcome"] for line in result["lines"]] == ["held", "refused"]
    offering.refresh_from_db()
    assert offering.spots_taken == 1  # the refused line gave its spot back


def test_delegate_registers_a_person_with_an_active_account():
    delegate, _ = make_delegate()
    _, member_dossier = make_person()
    line = submit(delegate, (make_offering(), member_dossier, {}, {}))["lines"][0]
    assert line["outcome"] == "held"
    registration = Registration.objects.get()
    assert registration.right == "delegate" and registration.registered_by == delegate


def test_delegate_cannot_register_a_person_whose_account_is_inactive():
    delegate, _ = make_delegate()
    member, member_dossier = make_person()
    member.is_active = False
    member.save()
    line = submit(delegate, (make_offering(), member_dossier, {}, {}))["lines"][0]
    assert line["outcome"] == "refused"


def test_same_key_twice_returns_the_stored_result_and_creates_nothing():
    account, dossier = make_person()
    offering = make_offering()
    first = submit(account, (offering, dossier, {}, {}), key="cle-unique")
    again = submit(account, (offering, dossier, {}, {}), key="cle-unique")
    assert again == first
    assert Registration.objects.count() == 1 and Submission.objects.count() == 1


def test_confirm_turns_a_free_hold_into_a_registration(mailbox, django_capture_on_commit_callbacks):
    account, dossier = make_person()
    offering = make_offering(member_price=0, non_member_price=0)
    result = submit(account, (offering, dossier, {}, {}))
    registration = Registration.objects.get(pk=result["lines"][0]["registration"])
    with django_capture_on_commit_callbacks(execute=True):
        confirm(registration, actor=account)
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.held_until is None
    message = mailbox.wait_for(account.email, "Inscription confirmée")
    assert dossier.first_name in mailbox.body(message)


def test_confirmation_email_in_the_language_of_the_account(
    mailbox, django_capture_on_commit_callbacks
):
    account, dossier = make_person(language="en")
    free = make_offering(title="Swimming", member_price=0, non_member_price=0)
    result = submit(account, (free, dossier, {}, {}))
    registration = Registration.objects.get(pk=result["lines"][0]["registration"])
    with django_capture_on_commit_callbacks(execute=True):
        confirm(registration, actor=account)
    message = mailbox.wait_for(account.email, "Registration confirmed: Swimming")
    assert "is confirmed" in mailbox.body(message)


def test_confirm_with_something_owed_waits_for_payment_with_its_invoice(
    mailbox, django_capture_on_commit_callbacks
):
    account, dossier = make_person()
    result = submit(account, (make_offering(title="Natation"), dossier, {}, {}))
    registration = Registration.objects.get(pk=result["lines"][0]["registration"])
    with django_capture_on_commit_callbacks(execute=True):
        confirm(registration, actor=account)
    registration.refresh_from_db()
    assert registration.status == "pending_payment" and registration.held_until is None
    invoice = registration.invoices.get()
    assert invoice.total == registration.amount_due + invoice.gst + invoice.qst
    message = mailbox.wait_for(account.email, f"Facture {invoice.number}")
    assert "/factures/" in mailbox.body(message)

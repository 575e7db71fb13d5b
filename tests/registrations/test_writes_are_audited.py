"""Every write of registrations leaves its audit row: the household cart, changed through
its service, and a registration that expires (an abandoned hold, an unanswered offer, an
unpaid invoice)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent
from guichet.registrations.models import CartLine, Registration
from guichet.registrations.services.register import confirm, submit_cart
from guichet.registrations.services.waitlist import expire_unpaid, release_expired_holds
from tests.registrations.engine_support import add_child, make_offering, make_person

pytestmark = pytest.mark.django_db


def later(hours: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def register(account, dossier, offering) -> Registration:
    result = submit_cart(
        actor=account, lines=[(offering, dossier, {}, {})], idempotency_key=uuid.uuid4().hex
    )
    return Registration.objects.get(pk=result["lines"][0]["registration"])


def test_adding_answering_and_removing_a_cart_line_is_audited(client):
    guardian, _ = make_person()
    child = add_child(guardian, first_name="Léa")
    camp = make_offering(title="Camp de jour")
    client.force_login(guardian)
    cart = reverse("registrations:cart")
    client.post(cart, {"add": "1", "offering": camp.pk, "participant": child.pk})
    client.post(cart, {"add": "1", "offering": camp.pk, "participant": child.pk})  # once
    line = CartLine.objects.get(account=guardian)
    client.post(reverse("registrations:cart_line", args=[line.pk]), {})
    client.post(cart, {"remove": line.pk})

    events = AuditEvent.objects.filter(actor=guardian, dossier=child).order_by("id")
    assert [event.action for event in events] == [
        Action.CART_LINE_ADDED,
        Action.CART_LINE_CHANGED,
        Action.CART_LINE_REMOVED,
    ]
    assert {event.data["offering"] for event in events} == {camp.pk}
    assert events[0].right == "guardian"
    assert not CartLine.objects.exists()


def test_an_abandoned_hold_that_expires_is_audited():
    account, dossier = make_person()
    registration = register(account, dossier, make_offering())
    assert release_expired_holds(later(2)) == 1
    event = AuditEvent.objects.get(action=Action.REGISTRATION_EXPIRED)
    assert event.dossier == dossier and event.right == "system"
    assert event.data == {"registration": registration.pk, "status": "held"}


def test_an_unpaid_registration_that_expires_is_audited():
    account, dossier = make_person()
    registration = confirm(register(account, dossier, make_offering()), actor=account)
    assert registration.status == "pending_payment"
    invoice = registration.invoices.get()
    assert expire_unpaid(later(49)) == 1
    event = AuditEvent.objects.get(action=Action.REGISTRATION_EXPIRED)
    assert event.dossier == dossier
    assert event.data == {"registration": registration.pk, "invoice": invoice.pk}


def test_the_invoice_page_names_its_registration_and_links_to_it(client):
    account, dossier = make_person(first_name="Marie", last_name="Tremblay")
    offering = make_offering(title="Camp de jour")
    registration = confirm(register(account, dossier, offering), actor=account)
    invoice = registration.invoices.get()
    client.force_login(account)
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    detail = reverse("registrations:detail", args=[registration.pk])
    assert f'<a href="{detail}">Inscription : Camp de jour — Marie Tremblay</a>' in page

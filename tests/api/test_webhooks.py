"""Outgoing webhooks: signed per Standard Webhooks and verified by a real receiver, sent
after the commit only, retried with back-off, logged, sent again on demand, delivered
once with two workers, and the endpoint disabled (with an email) after repeated failures."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from guichet.api.models import (
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)
from guichet.api.tasks import deliver_due_webhooks
from guichet.api.webhooks import delivery as delivering
from guichet.api.webhooks import events
from guichet.audit.models import Action, AuditEvent
from guichet.billing.services.payments import record_receipt
from guichet.dossiers.services.linking.by_staff import link_checked_by_staff
from guichet.registrations.models import Registration
from guichet.registrations.services.changes import cancel
from tests.api.receiver import Receiver
from tests.billing.cast import holder, invoiced, submit_line
from tests.catalog.factories import OfferingFactory
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    started = Receiver(secret=delivering.new_secret()).start()
    yield started
    started.stop()


def endpoint_for(receiver: Receiver, *event_types: str, **fields) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url=receiver.url,
        secret=receiver.secret,
        events=list(event_types or events.EVENT_TYPES),
        **fields,
    )


def test_each_delivery_is_signed_and_verified_by_the_receiver(receiver):
    endpoint_for(receiver)
    anne, anne_file = holder()
    registration, invoice = invoiced(anne, anne_file, non_member_price=Decimal("40.00"))
    types = [r.payload["type"] for r in receiver.received]
    assert types == ["registration.created", "invoice.issued"]
    assert all(r.payload is not None for r in receiver.received)  # every signature verified
    first = receiver.received[0]
    assert first.headers["webhook-id"].startswith("msg_")
    assert first.payload["data"]["registration"]["id"] == registration.pk
    assert receiver.received[1].payload["data"]["invoice"]["number"] == invoice.number
    # A forged body does not verify.
    with pytest.raises(WebhookVerificationError):
        Webhook(receiver.secret).verify(first.body.replace(b"registration", b"x"), first.headers)
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 2
    assert [a.status_code for a in DeliveryAttempt.objects.all()] == [200, 200]


def test_only_the_chosen_events_are_sent(receiver):
    endpoint_for(receiver, "invoice.issued")
    anne, anne_file = holder()
    invoiced(anne, anne_file, non_member_price=Decimal("40.00"))
    assert [r.payload["type"] for r in receiver.received] == ["invoice.issued"]


def test_nothing_is_sent_for_a_rolled_back_transaction(receiver):
    endpoint_for(receiver)
    anne, anne_file = holder()
    offering = OfferingFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_line(anne, anne_file, offering)
        raise RuntimeError("the caller fails after registering")
    assert receiver.received == []
    assert not WebhookMessage.objects.exists()
    # The same, committed, is sent.
    submit_line(anne, anne_file, offering)
    assert [r.payload["type"] for r in receiver.received] == ["registration.created"]


def test_a_receiver_that_fails_three_times_gets_the_retries(receiver):
    receiver.answers = [500, 503, 500]
    endpoint_for(receiver, "registration.created")
    anne, anne_file = holder()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        submit_line(anne, anne_file, OfferingFactory())
        item = WebhookDelivery.objects.get()
        assert (item.status, item.attempts) == (DeliveryStatus.RETRYING, 1)
        assert item.next_attempt_at == start + datetime.timedelta(seconds=5)
        assert deliver_due_webhooks() == 0  # not due yet
        waits = []
        for _ in range(3):
            item.refresh_from_db()
            waits.append(item.next_attempt_at - timezone.now())
            clock.move_to(item.next_attempt_at)
            assert deliver_due_webhooks() == 1
    item.refresh_from_db()
    assert waits == [
        datetime.timedelta(seconds=5),
        datetime.timedelta(minutes=5),
        datetime.timedelta(minutes=30),
    ]
    assert (item.status, item.attempts) == (DeliveryStatus.SUCCEEDED, 4)
    assert [a.status_code for a in item.tries.all()] == [500, 503, 500, 200]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1  # same message id
    assert WebhookEndpoint.objects.get().failures_in_a_row == 0


def test_one_delivery_even_with_two_workers(receiver):
    receiver.delay = 0.5
    endpoint = endpoint_for(receiver)
    message = WebhookMessage.objects.create(
        msg_id="msg_two_workers", event_type="invoice.paid", payload={"type": "invoice.paid"}
    )
    item = WebhookDelivery.objects.create(endpoint=endpoint, message=message)
    results = []

    def worker() -> None:
        try:
            results.append(delivering.attempt(item.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [None, DeliveryStatus.SUCCEEDED]
    assert len(receiver.received) == 1
    assert DeliveryAttempt.objects.count() == 1
    # Once delivered, another worker finds nothing to do.
    assert delivering.attempt(item.pk) is None


def test_repeated_failures_disable_the_endpoint_and_email_the_operator(receiver, settings, mailbox):
    settings.GUICHET_WEBHOOK_DISABLE_AFTER = 2
    receiver.answers = [500] * 10
    endpoint = endpoint_for(receiver, "registration.created", notify_email="ti@exemple.ca")
    anne, anne_file = holder()
    submit_line(anne, anne_file, OfferingFactory())
    item = WebhookDelivery.objects.get()
    with time_machine.travel(item.next_attempt_at + datetime.timedelta(seconds=1)):
        deliver_due_webhooks()
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert AuditEvent.objects.filter(action=Action.WEBHOOK_DISABLED).count() == 1
    message = mailbox.wait_for("ti@exemple.ca", "Une destination de webhook a été désactivée")
    assert receiver.url in mailbox.body(message)
    # A disabled endpoint gets nothing more.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert deliver_due_webhooks() == 0
    assert len(receiver.received) == 2


def test_staff_send_a_delivery_again(receiver, staff):
    endpoint_for(receiver, "registration.created")
    anne, anne_file = holder()
    submit_line(anne, anne_file, OfferingFactory())
    item = WebhookDelivery.objects.get()
    events.redeliver(item, actor=staff)
    item.refresh_from_db()
    assert item.status == DeliveryStatus.SUCCEEDED and item.attempts == 2
    assert len(receiver.received) == 2
    assert AuditEvent.objects.filter(action=Action.WEBHOOK_REDELIVERED, actor=staff).exists()


def test_payments_cancellations_and_links_are_announced(receiver, staff):
    endpoint_for(receiver)
    anne, anne_file = holder()
    registration, invoice = invoiced(anne, anne_file, non_member_price=Decimal("40.00"))
    record_receipt(
        invoice,
        amount=invoice.total,
        method="cheque",
        received_on=timezone.localdate(),
        actor=staff,
    )
    cancel(Registration.objects.get(pk=registration.pk), actor=staff)
    newcomer = AccountFactory()
    link_checked_by_staff(account=newcomer, dossier=DossierFactory(), actor=staff)
    types = [r.payload["type"] for r in receiver.received]
    assert types[:2] == ["registration.created", "invoice.issued"]
    assert {"payment.recorded", "invoice.paid", "registration.confirmed"} <= set(types[2:])
    assert "registration.cancelled" in types and types[-1] == "dossier.linked"
    assert all(r.payload is not None for r in receiver.received)
    paid = next(r for r in receiver.received if r.payload["type"] == "invoice.paid")
    assert paid.payload["data"]["invoice"]["status"] == "paid"

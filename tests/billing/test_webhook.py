"""The provider's signed webhook marks an invoice paid, once; anything unsigned is refused."""

from __future__ import annotations

import logging
import time
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.billing.models import Checkout, Payment, WebhookEvent
from guichet.billing.services.payments import start_checkout
from tests.billing.cast import holder, invoiced
from tests.billing.fake_stripe import (
    WEBHOOK_SECRET,
    completed_event,
    stripe_api,  # noqa: F401 (fixture fake_stripe)
    stripe_header,
)

pytestmark = pytest.mark.django_db

URL = "/factures/webhook/stripe/"


@pytest.fixture
def checkout(fake_stripe):
    account, dossier = holder()
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    start_checkout(invoice, actor=account, success_url="http://t/ok", cancel_url="http://t/cancel")
    return Checkout.objects.get(invoice=invoice)


def post(client, body: bytes, header: str | None):
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header is not None else {}
    return client.post(URL, data=body, content_type="application/json", **extra)


def paid_event(checkout, **kwargs) -> bytes:
    return completed_event(checkout.provider_id, 11498, checkout.invoice_id, **kwargs)


def test_a_signed_completed_checkout_pays_the_invoice_once(client, checkout):
    body = paid_event(checkout, payment_intent="pi_123")
    response = post(client, body, stripe_header(body))
    assert response.status_code == 200
    invoice = checkout.invoice
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("114.98") and invoice.status == "paid"
    payment = Payment.objects.get(invoice=invoice)
    assert (payment.method, payment.provider_reference) == ("card", "pi_123")
    assert payment.receipt_number
    invoice.source.refresh_from_db()
    assert invoice.source.status == "confirmed"
    checkout.refresh_from_db()
    assert checkout.status == "completed"
    row = WebhookEvent.objects.get()
    assert row.signature_valid and row.event_type == "checkout.session.completed"
    assert row.outcome.startswith("paid 114.98")


def test_the_same_event_replayed_is_a_no_op(client, checkout):
    body = paid_event(checkout, event_id="evt_same")
    assert post(client, body, stripe_header(body)).status_code == 200
    # Stripe retries with a fresh timestamp; an attacker replays within the tolerance.
    assert post(client, body, stripe_header(body)).status_code == 200
    assert (
        post(client, body, stripe_header(body, timestamp=int(time.time()) - 60)).status_code == 200
    )
    invoice = checkout.invoice
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("114.98")
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert WebhookEvent.objects.filter(event_id="evt_same").count() == 3
    assert WebhookEvent.objects.filter(event_id="evt_same", signature_valid=True).count() == 1


def test_two_events_for_the_same_payment_pay_once(client, checkout):
    for event_id in ("evt_a", "evt_b"):
        body = paid_event(checkout, event_id=event_id, payment_intent="pi_same")
        assert post(client, body, stripe_header(body)).status_code == 200
    assert Payment.objects.filter(provider_reference="pi_same").count() == 1
    checkout.invoice.refresh_from_db()
    assert checkout.invoice.amount_paid == Decimal("114.98")


def test_the_amount_recorded_is_what_the_provider_captured(client, checkout):
    body = completed_event(checkout.provider_id, 5000, checkout.invoice_id)
    assert post(client, body, stripe_header(body)).status_code == 200
    invoice = checkout.invoice
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("50.00") and invoice.status == "partially_paid"
    invoice.source.refresh_from_db()
    assert invoice.source.status == "pending_payment"


def test_a_checkout_completed_but_not_paid_records_nothing(client, checkout):
    body = paid_event(checkout, payment_status="unpaid")
    assert post(client, body, stripe_header(body)).status_code == 200
    assert not Payment.objects.exists()
    assert WebhookEvent.objects.get().outcome == "not paid yet"


def test_several_v1_signatures_one_of_which_matches_are_accepted(client, checkout):
    body = paid_event(checkout)
    t = int(time.time())
    good = stripe_header(body, timestamp=t).split("v1=")[1]
    header = f"t={t},v1={'0' * 64},v1={good},v0=ignored"
    assert post(client, body, header).status_code == 200
    assert Payment.objects.count() == 1


def _tampered(checkout) -> tuple[bytes, str]:
    body = paid_event(checkout)
    header = stripe_header(body)
    return body.replace(b"11498", b"99999"), header


REFUSED = {
    "bad signature": lambda c: (b := paid_event(c), stripe_header(b, secret="whsec_wrong")),
    "missing header": lambda c: (paid_event(c), None),
    "tampered body": _tampered,
    "too old": lambda c: (b := paid_event(c), stripe_header(b, timestamp=int(time.time()) - 301)),
    "no v1": lambda c: (paid_event(c), f"t={int(time.time())}"),
    "garbage": lambda c: (paid_event(c), "nonsense"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_bad_webhook_is_refused_and_logged(client, checkout, case, caplog):
    body, header = REFUSED[case](checkout)
    with caplog.at_level(logging.WARNING, logger="guichet.billing.services.payments"):
        response = post(client, body, header)
    assert response.status_code == 400
    assert not Payment.objects.exists()
    checkout.invoice.refresh_from_db()
    assert checkout.invoice.amount_paid == Decimal("0.00")
    row = WebhookEvent.objects.get()
    assert not row.signature_valid and row.outcome.startswith("refused")
    assert row.remote_addr == "127.0.0.1"
    assert AuditEvent.objects.filter(action=Action.WEBHOOK_REFUSED).count() == 1
    assert any("webhook refused" in r.getMessage() for r in caplog.records)


def test_a_webhook_signed_for_no_configured_secret_is_refused(client, checkout, settings):
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = ""
    body = paid_event(checkout)
    assert post(client, body, stripe_header(body, secret="")).status_code == 400
    assert not Payment.objects.exists()


def test_webhook_for_another_provider_is_404_and_get_is_not_allowed(client, checkout):
    body = paid_event(checkout)
    response = client.post(
        "/factures/webhook/moneris/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=stripe_header(body, WEBHOOK_SECRET),
    )
    assert response.status_code == 404
    assert client.get(reverse("billing:webhook", args=["stripe"])).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_same_event_delivered_twice_at_once_pays_once(checkout):
    """Two deliveries racing: the WebhookEvent constraint and the invoice lock hold."""
    import threading

    from django.db import connection

    from guichet.billing.services.payments import handle_webhook

    body = paid_event(checkout, event_id="evt_race")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def deliver() -> None:
        try:
            start.wait()
            result = handle_webhook("stripe", body, {"Stripe-Signature": stripe_header(body)})
            outcomes.append(result.outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o.split(" ")[0] for o in outcomes) == ["duplicate", "paid"]
    assert Payment.objects.filter(invoice=checkout.invoice).count() == 1
    checkout.invoice.refresh_from_db()
    assert checkout.invoice.amount_paid == Decimal("114.98")

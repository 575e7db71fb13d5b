"""Sending one delivery: signed (Standard Webhooks), logged, retried, or given up.

``attempt`` locks the delivery row (``SELECT … FOR UPDATE SKIP LOCKED``) for the time of
the HTTP call: a second worker handed the same delivery finds it locked, or already
delivered, and does nothing, so an event is delivered once even with two workers."""

from __future__ import annotations

import base64
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from guichet.api.models import (
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated

# Wait after each failed attempt (the Standard Webhooks suggestion): 8 attempts over
# about 28 hours, then the delivery has failed.
SCHEDULE = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]
TIMEOUT_SECONDS = 10
KEPT_RESPONSE_CHARS = 2000
USER_AGENT = "Guichet-Webhooks/1"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def signed_headers(
    endpoint: WebhookEndpoint, msg_id: str, at: datetime, body: str
) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(msg_id, at, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def _post(url: str, body: str, headers: dict[str, str]) -> tuple[int | None, str, str]:
    """(status, response body, error): a refused connection or a timeout has no status."""
    if not url.startswith(("http://", "https://")):
        return None, "", "unsupported address"
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")  # noqa: S310 (http or https, checked above)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, response.read(KEPT_RESPONSE_CHARS).decode(errors="replace"), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read(KEPT_RESPONSE_CHARS).decode(errors="replace"), ""
    except (urllib.error.URLError, OSError) as error:
        return None, "", str(getattr(error, "reason", error))[:255]


def attempt(delivery_id: int, *, now: datetime | None = None) -> str | None:
    """One try of a due delivery; its new status, or None when there was nothing to do
    (another worker holds it, it is delivered, not due, or its endpoint is off or
    archived)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "message")
            .filter(
                pk=delivery_id,
                status__in=DeliveryStatus.due(),
                next_attempt_at__lte=now or timezone.now(),
                endpoint__active=True,
                endpoint__archived_at__isnull=True,
            )
            .first()
        )
        if delivery is None:
            return None
        endpoint, message = delivery.endpoint, delivery.message
        body = json.dumps(message.payload, separators=(",", ":"), ensure_ascii=False)
        sent_at = timezone.now()
        started = time.monotonic()
        status_code, answer, error = _post(
            endpoint.url, body, signed_headers(endpoint, message.msg_id, sent_at, body)
        )
        DeliveryAttempt.objects.create(
            delivery=delivery,
            attempted_at=sent_at,
            status_code=status_code,
            response_body=answer,
            error=error,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        delivery.attempts += 1
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = timezone.now()
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0)
        else:
            if delivery.attempts <= len(SCHEDULE):
                delivery.status = DeliveryStatus.RETRYING
                delivery.next_attempt_at = timezone.now() + SCHEDULE[delivery.attempts - 1]
            else:
                delivery.status = DeliveryStatus.FAILED
            _count_failure(endpoint)
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at"])
    return delivery.status


def _count_failure(endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        failures_in_a_row=F("failures_in_a_row") + 1
    )
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if locked.active and locked.failures_in_a_row >= settings.GUICHET_WEBHOOK_DISABLE_AFTER:
        locked.active = False
        locked.disabled_at = timezone.now()
        locked.save(update_fields=["active", "disabled_at"])
        audit.record(
            Action.WEBHOOK_DISABLED,
            right=Right.SYSTEM,
            data={"url": locked.url, "failures": locked.failures_in_a_row},
        )
        to = locked.notify_email or getattr(locked.created_by, "email", "")
        if to:
            send_templated(
                "api/email/webhook_disabled",
                to=to,
                context={"endpoint": locked, "failures": locked.failures_in_a_row},
                language=getattr(locked.created_by, "language", "fr"),
            )


def due_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            status__in=DeliveryStatus.due(),
            next_attempt_at__lte=now or timezone.now(),
            endpoint__active=True,
            endpoint__archived_at__isnull=True,
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )

"""The events staff may subscribe to, and how one is queued."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.api import tasks
from guichet.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookMessage
from guichet.audit import services as audit
from guichet.audit.models import Action, Right

ENDPOINTS_CACHE = "api:webhook-endpoints"
ENDPOINTS_CACHE_SECONDS = 30

EVENT_TYPES = [
    "dossier.linked",
    "registration.created",
    "registration.waitlisted",
    "registration.offered",
    "registration.confirmed",
    "registration.cancelled",
    "invoice.issued",
    "invoice.paid",
    "invoice.credited",
    "payment.recorded",
    "membership.approved",
    "membership.lapsed",
    "relation.added",
    "relation.removed",
]

# What each event means, on the staff page's form.
EVENT_LABELS = {
    "dossier.linked": _("A file was linked to an account"),
    "registration.created": _("A registration was made"),
    "registration.waitlisted": _("A registration went on the waiting list"),
    "registration.offered": _("A spot was offered from the waiting list"),
    "registration.confirmed": _("A registration was confirmed"),
    "registration.cancelled": _("A registration was cancelled"),
    "invoice.issued": _("An invoice was issued"),
    "invoice.paid": _("An invoice was paid"),
    "invoice.credited": _("An invoice was credited"),
    "payment.recorded": _("A payment was recorded"),
    "membership.approved": _("A membership application was approved"),
    "membership.lapsed": _("A membership lapsed"),
    "relation.added": _("A relation was added"),
    "relation.removed": _("A relation was removed or ended"),
}


def subscribed(event_type: str) -> list[int]:
    """The ids of the receiving endpoints (on, not archived) that want ``event_type``. The
    table is cached (and dropped whenever an endpoint is saved), so the registration rush
    pays no query for webhooks when none is set up."""
    table = cache.get(ENDPOINTS_CACHE)
    if table is None:
        table = [
            (endpoint.pk, list(endpoint.events)) for endpoint in WebhookEndpoint.objects.receiving()
        ]
        cache.set(ENDPOINTS_CACHE, table, ENDPOINTS_CACHE_SECONDS)
    return [pk for pk, wanted in table if event_type in wanted]


@receiver([post_save, post_delete], sender=WebhookEndpoint, dispatch_uid="api-endpoints-cache")
def forget_endpoints(**kwargs: Any) -> None:
    cache.delete(ENDPOINTS_CACHE)


def emit(event_type: str, data: dict[str, Any]) -> WebhookMessage | None:
    """Queue ``event_type`` for every active endpoint that wants it: the message and its
    deliveries are written in one transaction, and each delivery is handed to a worker
    only once that transaction commits."""
    assert event_type in EVENT_TYPES, event_type
    endpoints = subscribed(event_type)
    if not endpoints:
        return None
    now = timezone.now()
    with transaction.atomic():
        message = WebhookMessage.objects.create(
            msg_id=f"msg_{uuid.uuid4().hex}",
            event_type=event_type,
            payload={"type": event_type, "timestamp": now.isoformat(), "data": data},
            created_at=now,
        )
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint_id=endpoint, message=message, next_attempt_at=now)
            for endpoint in endpoints
        )
        for delivery in deliveries:
            transaction.on_commit(partial(tasks.deliver_webhook.delay, delivery.pk), robust=True)
    return message


@transaction.atomic
def redeliver(delivery: WebhookDelivery, *, actor: Any) -> WebhookDelivery:
    """Staff send a delivery again (delivered or failed): one more attempt, now."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    audit.record(
        Action.WEBHOOK_REDELIVERED,
        actor=actor,
        right=Right.STAFF,
        data={"delivery": delivery.pk, "message": delivery.message.msg_id},
    )
    transaction.on_commit(lambda: tasks.deliver_webhook.delay(delivery.pk), robust=True)
    return delivery

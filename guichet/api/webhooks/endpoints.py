"""Staff add webhook endpoints and archive them (never delete: their deliveries are the
log). The signing secret is in ``add_endpoint``'s result, shown once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.api.models import WebhookEndpoint
from guichet.api.webhooks import delivery
from guichet.api.webhooks.events import EVENT_TYPES
from guichet.audit import services as audit
from guichet.audit.models import Action, Right


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown once


@transaction.atomic
def add_endpoint(
    *,
    url: str,
    events: Iterable[str],
    actor: Any,
    description: str = "",
    notify_email: str = "",
) -> NewEndpoint:
    wanted = [name for name in EVENT_TYPES if name in set(events)]
    unknown = set(events) - set(EVENT_TYPES)
    if unknown:
        raise ValueError(f"Unknown events: {', '.join(sorted(unknown))}")
    endpoint = WebhookEndpoint.objects.create(
        url=url,
        events=wanted,
        description=description,
        notify_email=notify_email,
        secret=delivery.new_secret(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        Action.WEBHOOK_ENDPOINT_ADDED,
        actor=actor,
        right=Right.STAFF,
        data={"endpoint": endpoint.pk, "url": url, "events": wanted},
    )
    return NewEndpoint(endpoint, endpoint.secret)


@transaction.atomic
def archive_endpoint(endpoint: WebhookEndpoint, *, actor: Any) -> WebhookEndpoint:
    """Nothing is sent to it any more, its pending retries included; its log stays."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.archived_at is None:
        endpoint.archived_at = timezone.now()
        endpoint.archived_by = actor if getattr(actor, "pk", None) else None
        endpoint.save(update_fields=["archived_at", "archived_by"])
        audit.record(
            Action.WEBHOOK_ENDPOINT_ARCHIVED,
            actor=actor,
            right=Right.STAFF,
            data={"endpoint": endpoint.pk, "url": endpoint.url},
        )
    return endpoint

"""Writing to the audit trail. Every app records through ``record``."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest

from guichet.audit.models import Action, AuditEvent, Right

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    """The visitor's address, read as the rate limits read it (trusted proxies)."""
    if request is None:
        return None
    from allauth.core.internal.httpkit import get_client_ip

    return get_client_ip(request) or None


def record(
    action: Action,
    *,
    actor: Any = None,
    subject: Any = None,
    dossier: Any = None,
    right: Right = Right.SELF,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
    within: bool = False,
) -> AuditEvent | None:
    """Write one audit event; a failure is logged and never breaks the caller.

    ``within``: the event is part of the caller's write (a registration and its audit row
    stand or fall together), so it is written in the caller's transaction without a
    savepoint of its own, and a failure raises."""
    event = AuditEvent(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        subject=subject if getattr(subject, "pk", None) else None,
        dossier=dossier if getattr(dossier, "pk", None) else None,
        right=right,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:255] if request else ""),
        data=data or {},
    )
    if within:
        event.save(force_insert=True)
        return event
    try:
        with transaction.atomic():
            event.save(force_insert=True)
            return event
    except DatabaseError:
        logger.exception("Could not write audit event %s", action)
        return None

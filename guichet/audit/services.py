"""Writing to the audit trail. Every app records through ``record``.

The audit row is part of the write it describes: ``record`` writes it in the caller's
transaction, and a database error raises, so the write fails with it (zulip writes its
``RealmAuditLog`` inside each ``do_*`` action). Only a signal receiver that observes
someone else's write (Django's and allauth's sign-in, sign-up, password change…) uses
``record_leniently``: that write is not ours to fail, so the event is written in a
savepoint of its own and a failure is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.core.internal.httpkit import get_client_ip
from django.db import DatabaseError, transaction
from django.http import HttpRequest

from guichet.audit.models import Action, AuditEvent, Right
from guichet.core.staff import current_role

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    """The visitor's address, read as the rate limits read it (trusted proxies)."""
    if request is None:
        return None
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
    role: str | None = None,
) -> AuditEvent:
    """Write one audit event in the caller's transaction; a database error raises.

    Staff act under a role (docs/backoffice.md): ``role`` names it, else the role the staff
    page was opened under (``core.staff.role_required`` sets ``request.acting_role`` and
    ``current_role()`` for the services it calls without the request).
    """
    event = _event(
        action,
        actor=actor,
        subject=subject,
        dossier=dossier,
        right=right,
        request=request,
        data=data,
        role=role,
    )
    event.save(force_insert=True)
    return event


def _event(
    action: Action,
    *,
    actor: Any = None,
    subject: Any = None,
    dossier: Any = None,
    right: Right = Right.SELF,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
    role: str | None = None,
) -> AuditEvent:
    if role is None:
        role = (
            (getattr(request, "acting_role", "") or current_role()) if right == Right.STAFF else ""
        )
    return AuditEvent(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        subject=subject if getattr(subject, "pk", None) else None,
        dossier=dossier if getattr(dossier, "pk", None) else None,
        right=right,
        role=role or "",
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:255] if request else ""),
        data=data or {},
    )


def record_leniently(action: Action, **fields: Any) -> AuditEvent | None:
    """For signal receivers only: ``record`` in a savepoint of its own, logging a database
    error instead of breaking the flow that sent the signal."""
    try:
        with transaction.atomic():
            return record(action, **fields)
    except DatabaseError:
        logger.exception("Could not write audit event %s", action)
        return None


def record_leniently_on_each(action: Action, dossiers: list[Any], **fields: Any) -> int:
    """``record_leniently`` once per file, in one insert (a roster or a Relevé 24 batch
    shows hundreds of files): how many were written, 0 after a logged database error."""
    events = [_event(action, dossier=dossier, **fields) for dossier in dossiers]
    try:
        with transaction.atomic():
            return len(AuditEvent.objects.bulk_create(events))
    except DatabaseError:
        logger.exception("Could not write audit events %s", action)
        return 0

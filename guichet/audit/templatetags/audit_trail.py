"""How an audit event reads to the person it concerns."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from guichet.audit.models import AuditEvent, Right

register = template.Library()

# Rights under which someone else acts openly for the person: their name is shown.
NAMED_RIGHTS = {Right.STAFF, Right.GUARDIAN, Right.DELEGATE}


@register.filter
def who_acted(event: AuditEvent, user: Any) -> str:
    """« Vous », the name of who acted for you, or « Un autre compte » for a stranger (a
    failed attempt to link your file says nothing of who tried)."""
    if event.actor_id is None:
        return _("System")
    if event.actor_id == user.pk:
        return _("You")
    if event.right in NAMED_RIGHTS:
        return event.actor.get_full_name() or event.actor.email
    return _("Another account")


@register.filter
def seen_from(event: AuditEvent, user: Any) -> str:
    """Where from: shown for the person's own actions only, never for someone else's."""
    if event.actor_id == user.pk and event.ip_address:
        return event.ip_address
    return "—"

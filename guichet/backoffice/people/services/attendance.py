"""Attendance for every kind of offering, one tap per participant, through the
registrations app's own service (``registrations.services.attendance``: the rule that
attendance is a fact about the past, the audit row per change) — never a second copy."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from guichet.accounts.types import Actor
from guichet.catalog.models import Offering
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.registrations.services.attendance import mark_attendance


def confirmed(offering: Offering) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(offering=offering, status=RegistrationStatus.CONFIRMED)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


@transaction.atomic
def mark_one(
    offering: Offering,
    registration_id: int,
    present: bool,
    *,
    actor: Actor,
    request: HttpRequest | None = None,
) -> bool:
    """Mark one participant present or absent; the others keep what they had (unmarked
    ones become absent, as the training sheet does). Returns whether anything changed.

    The offering's confirmed rows are locked first, so two leaders tapping at once on two
    phones never undo each other's tap. Raises ``AttendanceTooEarly`` before it starts.
    """
    rows = list(
        Registration.objects.filter(offering=offering, status=RegistrationStatus.CONFIRMED)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", "attended")
    )
    if registration_id not in {pk for pk, _attended in rows}:
        return False
    present_ids = {pk for pk, attended in rows if attended}
    if present:
        present_ids.add(registration_id)
    else:
        present_ids.discard(registration_id)
    return mark_attendance(offering, present_ids, actor=actor, request=request) > 0

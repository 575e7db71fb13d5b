"""Staff mark who attended a training; the participant then gets the confirmation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.catalog.models import Offering
from guichet.registrations.models import Registration, RegistrationStatus


@transaction.atomic
def mark_attendance(
    offering: Offering,
    present: Iterable[int],
    *,
    actor: Any,
    request: HttpRequest | None = None,
) -> int:
    """Set ``attended`` on every confirmed registration of the offering: True for the ids
    in ``present``, False for the others. Returns how many changed; each change is audited.

    The rows are locked so two staff members saving the same page do not interleave.
    """
    present_ids = set(present)
    registrations = (
        Registration.objects.filter(offering=offering, status=RegistrationStatus.CONFIRMED)
        .select_related("participant")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    changed = 0
    for registration in registrations:
        attended = registration.pk in present_ids
        if registration.attended is attended:
            continue
        registration.attended = attended
        registration.save(update_fields=["attended"])
        record(
            Action.ATTENDANCE_MARKED,
            actor=actor,
            dossier=registration.participant,
            right=Right.STAFF,
            request=request,
            data={
                "registration": registration.pk,
                "offering": offering.pk,
                "attended": attended,
            },
        )
        changed += 1
    return changed

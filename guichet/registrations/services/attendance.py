"""Staff mark who attended a training; the participant then gets the confirmation.

Attendance is a fact about the past: it is refused before the training starts (its first
session, or midnight of the first day, America/Montreal, when it has none), so no
confirmation ever says « a assisté » before the training took place.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.catalog.eligibility import local_date_and_time
from guichet.catalog.models import Offering
from guichet.registrations.models import Registration, RegistrationStatus


class AttendanceTooEarly(Exception):
    """The training has not started; the message is shown to staff."""


def training_starts_at(offering: Offering) -> datetime.datetime:
    """The first session's start, else midnight of the first day in the server's zone."""
    first = offering.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
    if first is not None:
        return first
    midnight = datetime.datetime.combine(offering.starts_on, datetime.time.min)
    return timezone.make_aware(midnight, timezone.get_default_timezone())


def too_early(offering: Offering, at: datetime.datetime | None = None) -> str:
    """Why attendance cannot be marked yet ("" once the training has started)."""
    starts_at = training_starts_at(offering)
    if (at or timezone.now()) >= starts_at:
        return ""
    day, clock = local_date_and_time(starts_at)
    return _(
        "Attendance can be marked from the start of the training, on %(date)s at %(time)s."
    ) % {"date": day, "time": clock}


@transaction.atomic
def mark_attendance(
    offering: Offering,
    present: Iterable[int],
    *,
    actor: Actor | None,
    request: HttpRequest | None = None,
) -> int:
    """Set ``attended`` on every confirmed registration of the offering: True for the ids
    in ``present``, False for the others. Returns how many changed; each change is audited.

    The rows are locked so two staff members saving the same page do not interleave.
    Raises ``AttendanceTooEarly`` before the training starts.
    """
    if refusal := too_early(offering):
        raise AttendanceTooEarly(refusal)
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

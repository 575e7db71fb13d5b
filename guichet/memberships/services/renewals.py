"""Renewal reminders at 60, 30 and 7 days before a membership ends, then the lapse.

``sweep(today)`` is run by the Celery beat task ``memberships.tasks.sweep_memberships``
(and by ``manage.py sweep_memberships`` in the embedded mode). Each reminder is one row of
``RenewalReminder`` (unique per membership and threshold) inserted in the same transaction
as its email is queued: when two sweeps run at the same moment, the second insert waits
for the first, then is refused, and that sweep sends nothing. A membership first seen
late (a day before its end) gets only the nearest reminder, not three at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.core.mail import send_templated
from guichet.dossiers import permissions
from guichet.memberships.models import (
    Membership,
    MembershipStatus,
    RenewalReminder,
)
from guichet.memberships.services import lifecycle, retention, uploads

THRESHOLDS = (60, 30, 7)


@dataclass
class Swept:
    reminded: list[tuple[int, int]] = field(default_factory=list)  # (membership, days)
    lapsed: list[int] = field(default_factory=list)
    documents_deleted: int = 0
    uploads_deleted: int = 0


def due_threshold(days_left: int) -> int | None:
    """The nearest threshold already reached (60 → 30 → 7), or None further out."""
    reached = [days for days in THRESHOLDS if days_left <= days]
    return min(reached) if reached else None


def _to_remind(today: date) -> QuerySet[Membership]:
    renewed = Membership.objects.filter(renews=OuterRef("pk")).exclude(
        status=MembershipStatus.CANCELLED
    )
    return (
        Membership.objects.filter(
            status=MembershipStatus.ACTIVE,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=max(THRESHOLDS)),
        )
        .exclude(Exists(renewed))
        .select_related("dossier", "member_type")
    )


def remind(membership: Membership, days: int, *, today: date) -> bool:
    """Send the ``days`` reminder once; False when it was already sent (or is being sent)."""
    try:
        with transaction.atomic():
            RenewalReminder.objects.create(membership=membership, days_before=days)
            holder = permissions.holder_of(membership.dossier)
            address = holder.email if holder is not None else membership.dossier.email
            language = getattr(holder, "language", "") or membership.dossier.language
            if address:
                send_templated(
                    "memberships/email/reminder",
                    to=address,
                    context={
                        "membership": membership,
                        "dossier": membership.dossier,
                        "days_left": (membership.ends_on - today).days,
                        "url": settings.GUICHET_SITE_URL + reverse("memberships:standing"),
                    },
                    language=language,
                )
            record(
                Action.MEMBERSHIP_REMINDED,
                subject=holder,
                dossier=membership.dossier,
                right=Right.SYSTEM,
                data={"membership": membership.pk, "days_before": days},
            )
    except IntegrityError:
        return False
    return True


def sweep(today: date | None = None) -> Swept:
    today = today or timezone.localdate()
    swept = Swept()
    for membership in _to_remind(today):
        days = due_threshold((membership.ends_on - today).days)
        if days is None:
            continue
        if membership.reminders.filter(days_before__lte=days).exists():
            continue  # this one, or a nearer one, already went out
        if remind(membership, days, today=today):
            swept.reminded.append((membership.pk, days))
    now = timezone.now()
    for membership in Membership.objects.filter(
        status=MembershipStatus.ACTIVE, grace_ends_on__lt=today
    ):
        if lifecycle.lapse(membership, now=now):
            swept.lapsed.append(membership.pk)
    swept.documents_deleted = retention.delete_expired_documents(today)
    swept.uploads_deleted = uploads.delete_abandoned(now)
    return swept

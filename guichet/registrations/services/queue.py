"""The virtual queue at an opening: arrival order, a steady admission rate.

When an offering opens, the site admits ``GUICHET_QUEUE_ADMIT_PER_MINUTE`` people per
minute (the first batch at the opening minute, another each minute after), in the order
their ``QueueTicket`` was issued. Tickets are issued from ``QUEUE_BEFORE`` before the
opening, so families who wait on the page keep their place. The default rate is large:
everyone is admitted at once unless the operator sets a rate the servers can serve
(see docs/registrations.md). Outside ``[opening - QUEUE_BEFORE, opening + QUEUE_AFTER]``
there is no queue at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from guichet.registrations.models import QueueTicket

QUEUE_BEFORE = timedelta(minutes=15)
QUEUE_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class Place:
    admitted: bool
    position: int  # people ahead of this one, 0 when admitted
    opening: datetime


def admit_per_minute() -> int:
    return settings.GUICHET_QUEUE_ADMIT_PER_MINUTE


def in_window(opening: datetime, now: datetime) -> bool:
    return opening - QUEUE_BEFORE <= now <= opening + QUEUE_AFTER


def place_in_line(account: Any, opening: datetime, now: datetime | None = None) -> Place | None:
    """The account's place for this opening (a ticket is issued on first call), or None
    outside the queue's window."""
    now = now or timezone.now()
    if not in_window(opening, now):
        return None
    ticket, _ = QueueTicket.objects.get_or_create(opening=opening, account=account)
    if ticket.admitted_at:
        return Place(True, 0, opening)
    if now < opening:
        ahead = QueueTicket.objects.filter(opening=opening, id__lt=ticket.id).count()
        return Place(False, ahead, opening)
    minutes = int((now - opening).total_seconds() // 60) + 1
    admitted_count = minutes * admit_per_minute()
    rank = QueueTicket.objects.filter(opening=opening, id__lte=ticket.id).count()
    if rank <= admitted_count:
        QueueTicket.objects.filter(pk=ticket.pk, admitted_at__isnull=True).update(admitted_at=now)
        return Place(True, 0, opening)
    return Place(False, rank - admitted_count, opening)

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
from django.db import connection
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
    outside the queue's window.

    Plain SQL on the rush's path (like the submission's ``_claim``): at the opening every
    family's first request passes here, and the ORM's ``get_or_create`` then ``count`` then
    ``update`` were six statements; a newcomer admitted at once now costs two (the ticket's
    ``INSERT … ON CONFLICT DO NOTHING``, then its admission ``UPDATE`` guarded by its rank),
    with the same order and rate: the rank is still the number of tickets issued up to this
    one."""
    now = now or timezone.now()
    if not in_window(opening, now):
        return None
    table = QueueTicket._meta.db_table
    at = connection.ops.adapt_datetimefield_value(opening)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (opening, account_id, created_at) VALUES (%s, %s, %s) "  # noqa: S608 (table name from the model)
            "ON CONFLICT (opening, account_id) DO NOTHING RETURNING id",
            [at, account.pk, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
        if row is not None:
            ticket, admitted = row[0], False
        else:  # issued before: read it
            cursor.execute(
                f"SELECT id, admitted_at IS NOT NULL FROM {table} "  # noqa: S608 (table name from the model)
                "WHERE opening = %s AND account_id = %s",
                [at, account.pk],
            )
            ticket, admitted = cursor.fetchone()
    if admitted:
        return Place(True, 0, opening)
    if now < opening:
        ahead = QueueTicket.objects.filter(opening=opening, id__lt=ticket).count()
        return Place(False, ahead, opening)
    minutes = int((now - opening).total_seconds() // 60) + 1
    admitted_count = minutes * admit_per_minute()
    with connection.cursor() as cursor:
        # Admitted for good when its rank is within what the rate lets in by now.
        cursor.execute(
            f"UPDATE {table} SET admitted_at = %s WHERE id = %s AND admitted_at IS NULL "  # noqa: S608 (table name from the model)
            f"AND (SELECT COUNT(*) FROM {table} WHERE opening = %s AND id <= %s) <= %s",
            [connection.ops.adapt_datetimefield_value(now), ticket, at, ticket, admitted_count],
        )
        if cursor.rowcount:
            return Place(True, 0, opening)
    rank = QueueTicket.objects.filter(opening=opening, id__lte=ticket).count()
    if rank <= admitted_count:  # admitted meanwhile by a request of its own
        return Place(True, 0, opening)
    return Place(False, rank - admitted_count, opening)

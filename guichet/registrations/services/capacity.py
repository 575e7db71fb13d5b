"""Counted capacity: take and give back spots with one conditional UPDATE each.

``UPDATE … SET spots_taken = spots_taken + 1 WHERE id = … AND spots_taken < capacity``
is atomic in PostgreSQL: the row lock makes concurrent submitters queue on the row, and
the condition is re-checked on the latest version, so a spot is never sold twice and no
read-then-write race exists. ``spots_taken`` counts held, pending, confirmed and offered
registrations (an offer from the waiting list keeps the spot it was given).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, Q

from guichet.catalog.models import Offering, Option
from guichet.registrations.models import Registration, RegistrationStatus


def looks_free(offering_id: int) -> bool:
    """A plain read (never waits on the row lock): once an offering is full, the rush
    goes to the waiting list without queueing on the row. A spot freed meanwhile is
    offered to the waiting list by the sweeper, so nothing is lost by trusting it."""
    return Offering.objects.filter(pk=offering_id, spots_taken__lt=F("capacity")).exists()


def take_spot(offering_id: int) -> bool:
    """Take one spot; False when the offering is full. Plain SQL: the statement every
    submission of the rush runs while it holds the offering's row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Offering._meta.db_table} SET spots_taken = spots_taken + 1"  # noqa: S608 (table name from the model)
            " WHERE id = %s AND spots_taken < capacity",
            [offering_id],
        )
        return bool(cursor.rowcount == 1)


def release_spot(offering_id: int) -> None:
    Offering.objects.filter(pk=offering_id, spots_taken__gt=0).update(
        spots_taken=F("spots_taken") - 1
    )


def take_option(option_id: int, quantity: int) -> bool:
    """Take ``quantity`` of an option; False when its capacity would be passed."""
    if quantity <= 0:
        return True
    return bool(
        Option.objects.filter(pk=option_id)
        .filter(Q(capacity__isnull=True) | Q(taken__lte=F("capacity") - quantity))
        .update(taken=F("taken") + quantity)
    )


def release_option(option_id: int, quantity: int) -> None:
    if quantity <= 0:
        return
    Option.objects.filter(pk=option_id, taken__gte=quantity).update(taken=F("taken") - quantity)


def release(registration: Registration) -> None:
    """Give back the registration's spot, and its options if they were counted: an offered
    spot's options are taken only when the offer is accepted."""
    release_spot(registration.offering_id)
    if registration.status not in RegistrationStatus.ACTIVE:
        return
    for line in registration.option_lines.all():
        release_option(line.option_id, line.quantity)

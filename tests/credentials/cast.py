"""Credentials' cast: a COMAQ member with trainings, made with the registrations' models
(the reading side) and attendance marked through registrations' own service."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from guichet.registrations.models import Registration
from guichet.registrations.services.attendance import mark_attendance
from tests.registrations.factories_mine import (
    OfferingFactory,
    RegistrationFactory,
    days_from_today,
    holder_of,
)


# Membership, in one place: today it is the dossier's ``member_until`` (what
# ``credentials.membership`` reads until the memberships app is merged); once it is, these
# three make a ``Membership`` in force, or end it, through memberships' own factories.
def make_member(dossier, *, until: datetime.date | None = None):
    """A membership in force until ``until`` (a year from now by default)."""
    dossier.member_until = until or days_from_today(365)
    dossier.save(update_fields=["member_until"])
    return dossier


def end_membership(dossier, *, ended: datetime.date | None = None):
    """No membership in force any more (ended yesterday by default; None: never one)."""
    dossier.member_until = ended
    dossier.save(update_fields=["member_until"])
    return dossier


def member_of(account, **fields: Any):
    """The account's own dossier, a member for the year to come."""
    return make_member(holder_of(account, **fields))


def past_training(code: str = "", hours: str = "7", ago: int = 30, **fields: Any):
    """A training that ended ``ago`` days ago."""
    return OfferingFactory(
        code=code or f"FOR-{ago}",
        hours=Decimal(hours),
        starts_on=days_from_today(-ago - 1),
        ends_on=days_from_today(-ago),
        **fields,
    )


def attended(dossier, offering, *, by=None) -> Registration:
    """A confirmed registration, then attendance marked by staff through the service."""
    registration = RegistrationFactory(offering=offering, participant=dossier)
    mark_attendance(offering, [registration.pk], actor=by)
    registration.refresh_from_db()
    return registration


def on(day: int) -> datetime.date:
    return days_from_today(day)

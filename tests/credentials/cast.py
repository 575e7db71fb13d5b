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


def member_of(account, **fields: Any):
    """The account's own dossier, a member for the year to come."""
    return holder_of(account, member_until=days_from_today(365), **fields)


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

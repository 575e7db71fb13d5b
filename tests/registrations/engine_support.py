"""Offerings and households for the registration engine's tests (plainly eligible)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guichet.catalog.models import Offering, OfferingKind, Option
from guichet.dossiers.models import Delegation, LinkRole
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory

_numbers = itertools.count(1)


def make_offering(**fields: Any) -> Offering:
    now = timezone.now()
    n = next(_numbers)
    values: dict[str, Any] = {
        "kind": OfferingKind.ACTIVITY,
        "title": f"Natation {n}",
        "slug": f"natation-{n}-{now.timestamp():.0f}",
        "starts_on": (now + datetime.timedelta(days=30)).date(),
        "ends_on": (now + datetime.timedelta(days=60)).date(),
        "capacity": 10,
        "member_price": Decimal("40.00"),
        "non_member_price": Decimal("60.00"),
        "registration_opens_at": now - datetime.timedelta(hours=1),
        "registration_closes_at": now + datetime.timedelta(days=10),
        "change_deadline": now + datetime.timedelta(days=5),
        "published": True,
    }
    values.update(fields)
    return Offering.objects.create(**values)


def make_option(offering: Offering, **fields: Any) -> Option:
    values: dict[str, Any] = {"name": "Soirée gala", "price": Decimal("75.00"), "capacity": 2}
    values.update(fields)
    return Option.objects.create(offering=offering, **values)


def make_person(**fields: Any):
    """An account holding its own dossier; returns (account, dossier)."""
    account = AccountFactory(**fields)
    dossier = DossierFactory(first_name=account.first_name, last_name=account.last_name)
    DossierLinkFactory(account=account, dossier=dossier, role=LinkRole.HOLDER)
    return account, dossier


def add_child(guardian, **fields: Any):
    child = ChildDossierFactory(**fields)
    DossierLinkFactory(account=guardian, dossier=child, role=LinkRole.GUARDIAN)
    return child


def make_delegate():
    account, dossier = make_person(first_name="Denise", last_name="Déléguée")
    Delegation.objects.create(account=account, starts_on=timezone.localdate())
    return account, dossier

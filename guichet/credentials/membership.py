"""What credentials needs to know of memberships, in one small interface.

The memberships app (member types, applications, renewals) is built in parallel; until it
is merged, membership is read from what exists on the dossier: ``Dossier.member_until``
(the operator's file says the person is a member until that day). When merging, point the
three names below at memberships and nothing else in credentials changes:

- ``is_member(dossier, day)`` → ``guichet.memberships.services.queries.is_member``;
- ``members_on(day)`` (the ids of the dossiers that are members on ``day``, a subquery
  for the directory) → the equivalent queryset of memberships in force that day;
- ``membership_started`` → the signal ``guichet.memberships.signals.membership_started``
  (its receiver, ``receivers.on_membership_started``, reads ``dossier`` and, when sent,
  ``starts_on``, ``ends_on``, ``member_type`` from the signal's keyword arguments, or from a
  ``membership`` object carrying those attributes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.dispatch import Signal

from guichet.dossiers.models import Dossier

# Sent with ``dossier=`` (and optionally ``starts_on=``, ``ends_on=``, ``member_type=``)
# when a membership starts; memberships' own signal replaces it.
membership_started = Signal()


@dataclass(frozen=True)
class MembershipFacts:
    """What a membership attestation states."""

    member_type: str
    starts_on: date | None
    ends_on: date | None


def is_member(dossier: Dossier, day: date) -> bool:
    """Whether the person is a member on ``day``."""
    return dossier.is_member_on(day)


def members_on(day: date) -> QuerySet[Dossier, int]:
    """The ids of the dossiers that are members on ``day`` (a subquery:
    ``pk__in=members_on(day)``)."""
    return Dossier.objects.filter(member_until__gte=day).values_list("pk", flat=True)


def membership_of(dossier: Dossier, day: date) -> MembershipFacts | None:
    """The membership in force on ``day``, as a membership attestation states it."""
    if not is_member(dossier, day):
        return None
    return MembershipFacts(member_type="", starts_on=None, ends_on=dossier.member_until)

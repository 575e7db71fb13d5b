"""What credentials needs to know of memberships, in one small interface.

Whether someone is a member is read from ``Dossier.member_until``: memberships keeps it
equal to the end of the membership in force (``dossiers.services.identity.mirror_membership``,
called only from memberships' audited services), and an operator's import sets it for
members who predate the portal. The catalog's member prices read the same field, so the
directory, the title's membership rule and the prices always agree. What a membership
attestation states (the member type, the dates) comes from memberships' own queries when
the membership was made here. Attestations are issued on memberships' own signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from guichet.dossiers.models import Dossier
from guichet.memberships.services.queries import current_membership
from guichet.memberships.signals import membership_started

__all__ = ["MembershipFacts", "is_member", "members_on", "membership_of", "membership_started"]


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
    found = current_membership(dossier, day)
    if found is None:  # a member on the operator's file, from before the portal
        return MembershipFacts(member_type="", starts_on=None, ends_on=dossier.member_until)
    return MembershipFacts(str(found.member_type.name), found.starts_on, found.ends_on)

"""What credentials needs to know of memberships, in one small interface.

The memberships app (member types, applications, renewals) is built in parallel; until it
is merged, membership is read from what exists on the dossier: ``Dossier.member_until``
(the operator's file says the person is a member until that day). When merging, this
module becomes (nothing else in credentials changes)::

    from guichet.memberships.services.queries import current_membership, is_member
    from guichet.memberships.signals import membership_started

    def members_on(day):  # best added to memberships.services.queries as member_ids(day)
        return Membership.objects.in_force(day).values_list("dossier_id", flat=True)

    def membership_of(dossier, day):
        found = current_membership(dossier, day)
        if found is None:
            return None
        return MembershipFacts(found.member_type.name, found.starts_on, found.ends_on)

``receivers.on_membership_started`` already reads memberships' signal as it is sent
(``membership=`` with ``dossier``, ``member_type``, ``starts_on``, ``ends_on``), and also
plain ``dossier=`` / ``starts_on=`` / ``ends_on=`` / ``member_type=`` keywords.
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

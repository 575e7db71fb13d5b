"""What other apps may ask of memberships (credentials read them here, never the tables).

``is_member(dossier, day)`` and ``current_membership(dossier, day)`` count a membership
during its grace period: a member whose renewal is a few days late is still a member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from guichet.dossiers.models import Dossier
from guichet.memberships.models import (
    Application,
    Membership,
    MembershipStatus,
    MemberType,
)


def current_membership(dossier: Dossier, day: date | None = None) -> Membership | None:
    """The membership in force on ``day`` (today in Montreal by default), or None."""
    day = day or timezone.localdate()
    return (
        Membership.objects.in_force(day)
        .filter(dossier=dossier)
        .select_related("member_type")
        .order_by("-ends_on")
        .first()
    )


def is_member(dossier: Dossier, day: date | None = None) -> bool:
    day = day or timezone.localdate()
    return Membership.objects.in_force(day).filter(dossier=dossier).exists()


def offered_types() -> list[MemberType]:
    return list(MemberType.objects.filter(active=True))


@dataclass(frozen=True)
class Standing:
    """What « Devenir membre » shows: « Votre statut », « Type de membre », and what is next."""

    membership: Membership | None  # in force today
    pending: Membership | None  # waiting for its fee (a first one, or a renewal)
    application: Application | None  # the latest application
    day: date

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def in_grace(self) -> bool:
        return self.membership is not None and self.membership.in_grace(self.day)

    @property
    def renewable(self) -> bool:
        """A member may renew from 60 days before the end, and during the grace period."""
        if self.membership is None or self.pending is not None:
            return False
        renewed = Membership.objects.filter(renews=self.membership).exclude(
            status=MembershipStatus.CANCELLED
        )
        if renewed.exists():
            return False
        return (self.membership.ends_on - self.day).days <= 60

    @property
    def may_apply(self) -> bool:
        return (
            self.membership is None
            and self.pending is None
            and (self.application is None or not self.application.is_open)
        )


def standing(dossier: Dossier | None, day: date | None = None) -> Standing:
    day = day or timezone.localdate()
    if dossier is None:
        return Standing(None, None, None, day)
    pending = (
        Membership.objects.filter(dossier=dossier, status=MembershipStatus.PENDING_PAYMENT)
        .select_related("member_type")
        .first()
    )
    application = Application.objects.filter(dossier=dossier).select_related("member_type").first()
    return Standing(current_membership(dossier, day), pending, application, day)

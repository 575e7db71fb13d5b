"""Who leads an offering (Animation sees only the offerings they lead): set by Inscriptions
on the roster page, each change audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from guichet.accounts.models import Account
from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.backoffice.models import OfferingLeader
from guichet.catalog.models import Offering
from guichet.core.roles import Role
from guichet.core.staff import has_role


def candidates() -> QuerySet[Account]:
    """Staff accounts holding the Animation role."""
    return (
        Account.objects.filter(is_staff=True, is_active=True, role_grants__role=Role.ANIMATION)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def leaders_of(offering: Offering) -> QuerySet[OfferingLeader]:
    return offering.leaders.select_related("account").order_by(
        "account__last_name", "account__first_name"
    )


@transaction.atomic
def add_leader(
    offering: Offering, account: Account, *, actor: Actor, request: HttpRequest | None = None
) -> bool:
    """Make ``account`` (holding Animation) a leader of the offering; False if it was one."""
    if not has_role(actor, Role.REGISTRAR) or not candidates().filter(pk=account.pk).exists():
        raise PermissionError
    try:
        with transaction.atomic():
            OfferingLeader.objects.create(offering=offering, account=account)
    except IntegrityError:
        return False
    record(
        Action.LEADER_ADDED,
        actor=actor,
        subject=account,
        right=Right.STAFF,
        request=request,
        data={"offering": offering.pk},
    )
    return True


@transaction.atomic
def remove_leader(
    offering: Offering, account_id: int, *, actor: Actor, request: HttpRequest | None = None
) -> bool:
    if not has_role(actor, Role.REGISTRAR):
        raise PermissionError
    found = OfferingLeader.objects.filter(offering=offering, account_id=account_id).first()
    if found is None:
        return False
    found.delete()
    record(
        Action.LEADER_REMOVED,
        actor=actor,
        subject=found.account,
        right=Right.STAFF,
        request=request,
        data={"offering": offering.pk},
    )
    return True

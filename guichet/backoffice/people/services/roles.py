"""Giving and taking staff roles (« Personnel et rôles »), for Administration only.

Each role given or taken is one audit row (``backoffice.role_granted`` / ``role_revoked``)
with the account as subject, and the account is told by email: a new way to act on
everyone's files is never given silently. An administrator cannot take away their own
Administration role, so the operator is never left without one by a slip.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from guichet.accounts.models import Account, StaffRole
from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.core.mail import send_templated
from guichet.core.roles import Role
from guichet.core.staff import has_role


class RoleRefused(Exception):
    """The change is refused; the message is shown to the administrator."""


def staff_accounts() -> QuerySet[Account]:
    """Every staff account with its roles, in two queries whatever their number."""
    return (
        Account.objects.filter(is_staff=True, is_active=True)
        .prefetch_related(Prefetch("role_grants", queryset=StaffRole.objects.order_by("role")))
        .order_by("last_name", "first_name", "email")
    )


@transaction.atomic
def set_roles(
    account: Account,
    roles: Iterable[str],
    *,
    actor: Actor,
    request: HttpRequest | None = None,
) -> tuple[set[str], set[str]]:
    """Give ``account`` exactly ``roles``; returns the roles given and taken."""
    if not has_role(actor, Role.ADMINISTRATION):
        raise PermissionError
    wanted = {Role(role).value for role in roles}
    locked = Account.objects.select_for_update().get(pk=account.pk, is_staff=True)
    held = set(StaffRole.objects.filter(account=locked).values_list("role", flat=True))
    given, taken = wanted - held, held - wanted
    if locked.pk == actor.pk and Role.ADMINISTRATION in taken:
        raise RoleRefused(
            _("You cannot take away your own Administration role: ask another administrator.")
        )
    StaffRole.objects.filter(account=locked, role__in=taken).delete()
    StaffRole.objects.bulk_create(StaffRole(account=locked, role=role) for role in sorted(given))
    for action, changed in ((Action.STAFF_ROLE_GRANTED, given), (Action.STAFF_ROLE_REVOKED, taken)):
        for role in sorted(changed):
            record(
                action,
                actor=actor,
                subject=locked,
                right=Right.STAFF,
                role=Role.ADMINISTRATION,
                request=request,
                data={"staff_role": role},
            )
    if given or taken:
        send_templated(
            "backoffice/people/email/roles_changed",
            to=locked.email,
            context={
                "account": locked,
                "given": [Role(role).label for role in sorted(given)],
                "taken": [Role(role).label for role in sorted(taken)],
            },
            language=locked.language,
        )
    return given, taken

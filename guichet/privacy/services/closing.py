"""Closing an account: the person asks, staff with the privacy role apply it.

Applying runs every registered contributor's ``anonymize`` (``privacy.registry``), in
their order, inside one transaction with its audit row: the held file and what each app
holds on the person are erased or replaced with neutral values; what the law asks to keep
(accounting documents) stays as it was, each contributor saying what and why (``Kept``).
It cannot be undone. The person is told at the address they had, before it is erased.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.core.mail import send_templated
from guichet.privacy import registry
from guichet.privacy.models import ClosureRequest, ClosureStatus


class ClosureNotPending(Exception):
    """The request was already applied or withdrawn."""


def pending_closure(account: Any) -> ClosureRequest | None:
    return ClosureRequest.objects.filter(account=account, status=ClosureStatus.PENDING).first()


@transaction.atomic
def request_closure(account: Any, *, request: HttpRequest | None = None) -> ClosureRequest:
    """The person asks; a second ask finds the first (one pending request per account)."""
    if (existing := pending_closure(account)) is not None:
        return existing
    closure = ClosureRequest.objects.create(account=account)
    record(
        Action.CLOSURE_REQUESTED,
        actor=account,
        subject=account,
        right=Right.SELF,
        request=request,
        data={"closure": closure.pk},
    )
    send_templated(
        "privacy/email/closure_requested",
        to=account.email,
        context={
            "account": account,
            "url": f"{settings.GUICHET_SITE_URL}/mon-dossier/mes-donnees/",
        },
        language=account.language,
    )
    return closure


@transaction.atomic
def withdraw_closure(account: Any, *, request: HttpRequest | None = None) -> bool:
    closure = (
        ClosureRequest.objects.select_for_update()
        .filter(account=account, status=ClosureStatus.PENDING)
        .first()
    )
    if closure is None:
        return False
    closure.status = ClosureStatus.WITHDRAWN
    closure.decided_at = timezone.now()
    closure.decided_by = account
    closure.save(update_fields=["status", "decided_at", "decided_by"])
    record(
        Action.CLOSURE_WITHDRAWN,
        actor=account,
        subject=account,
        right=Right.SELF,
        request=request,
        data={"closure": closure.pk},
    )
    return True


@transaction.atomic
def apply_closure(
    closure_id: int,
    *,
    actor: Any,
    request: HttpRequest | None = None,
    right: Right = Right.STAFF,
) -> ClosureRequest:
    """Anonymize the account and what every app holds on it; keep what must be kept."""
    closure = (
        ClosureRequest.objects.select_for_update().select_related("account").get(pk=closure_id)
    )
    if closure.status != ClosureStatus.PENDING:
        raise ClosureNotPending
    account = closure.account
    # Told at the address they had, in their language, once the closure commits.
    send_templated(
        "privacy/email/account_closed",
        to=account.email,
        context={"account": account, "kept": kept_by_all()},
        language=account.language,
    )
    closing = registry.Closing(account=account, actor=actor)
    outcome: dict[str, dict[str, int]] = {}
    for contributor in registry.contributors():
        if contributor.anonymize is not None:
            outcome[contributor.name] = contributor.anonymize(closing)
    closure.status = ClosureStatus.APPLIED
    closure.decided_at = timezone.now()
    closure.decided_by = actor if getattr(actor, "pk", None) else None
    closure.outcome = outcome
    closure.save(update_fields=["status", "decided_at", "decided_by", "outcome"])
    first = closing.dossiers[0] if closing.dossiers else None
    record(
        Action.ACCOUNT_ANONYMIZED,
        actor=actor,
        subject=account,
        dossier=first,
        right=right,
        request=request,
        data={"closure": closure.pk, "outcome": outcome},
    )
    return closure


def kept_by_all() -> list[registry.Kept]:
    return [kept for contributor in registry.contributors() for kept in contributor.kept]

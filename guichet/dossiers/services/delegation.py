"""Staff grant an account the right to act for others (UMQ « super-utilisateur »).

The right has start and end dates; the person is told by email when it is granted and
when it ends, and both steps are in the audit trail under the staff right.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.core.mail import send_templated
from guichet.dossiers.models import Delegation, Dossier


def _dates(delegation: Delegation | None, starts_on: date, ends_on: date | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat() if ends_on else None,
    }
    if delegation is not None:
        data["delegation"] = delegation.pk
    return data


@transaction.atomic
def grant_delegation(
    account: Any,
    *,
    starts_on: date,
    ends_on: date | None,
    organization: Dossier | None = None,
    note: str = "",
    actor: Actor,
    request: HttpRequest | None = None,
) -> Delegation:
    if ends_on is not None and ends_on < starts_on:
        raise ValueError("A delegation cannot end before it starts.")
    delegation = Delegation.objects.create(
        account=account,
        starts_on=starts_on,
        ends_on=ends_on,
        organization=organization,
        note=note,
        granted_by=actor,
    )
    record(
        Action.DELEGATION_GRANTED,
        actor=actor,
        subject=account,
        dossier=organization,
        right=Right.STAFF,
        request=request,
        data=_dates(delegation, starts_on, ends_on),
    )
    send_templated(
        "dossiers/staff/delegation_granted",
        to=account.email,
        context={"account": account, "delegation": delegation},
        language=account.language,
    )
    return delegation


@transaction.atomic
def end_delegation(
    delegation: Delegation, *, actor: Actor, request: HttpRequest | None = None
) -> Delegation | None:
    """End the right now: it stops being in force today.

    A grant that has not started yet (or starts today) never took effect: it is withdrawn,
    its dates kept in the audit trail. Returns the ended delegation, or None if withdrawn.
    """
    locked = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=delegation.pk)
    )
    account = locked.account
    yesterday = timezone.localdate() - timedelta(days=1)
    data = _dates(locked, locked.starts_on, locked.ends_on)
    result: Delegation | None
    if locked.starts_on > yesterday:
        data["withdrawn"] = True
        locked.delete()
        result = None
    else:
        if locked.ends_on is None or locked.ends_on > yesterday:
            locked.ends_on = yesterday
            locked.save(update_fields=["ends_on"])
        data["ended_on"] = locked.ends_on.isoformat()
        result = locked
    record(
        Action.DELEGATION_ENDED,
        actor=actor,
        subject=account,
        dossier=locked.organization if locked.organization_id else None,
        right=Right.STAFF,
        request=request,
        data=data,
    )
    send_templated(
        "dossiers/staff/delegation_ended",
        to=account.email,
        context={"account": account},
        language=account.language,
    )
    return result

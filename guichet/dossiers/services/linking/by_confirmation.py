"""The second step: the code sent to the address on file (``confirmation``) makes the link."""

from __future__ import annotations

import hmac

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.dossiers.models import LinkMethod, LinkRole
from guichet.dossiers.services.linking.codes import code_digest
from guichet.dossiers.services.linking.conclusion import conclude
from guichet.dossiers.services.linking.confirmation import (
    CONFIRMATION_MAX_FAILURES,
    pending_confirmation,
)
from guichet.dossiers.services.linking.outcomes import Outcome, Status
from guichet.dossiers.services.linking.throttle import fail, guard


@transaction.atomic
def confirm_link(*, actor: Actor, code: str, request: HttpRequest | None = None) -> Outcome:
    """The second step: the code sent to the address on file makes the link."""
    pending = pending_confirmation(actor, for_update=True)
    if pending is None:
        return Outcome(Status.REFUSED)
    dossier = pending.dossier
    if refused := guard(actor, dossier, pending.method, request, LinkRole(pending.role)):
        return refused
    if not hmac.compare_digest(pending.code_hash, code_digest(code)):
        pending.failed_attempts += 1
        if pending.failed_attempts >= CONFIRMATION_MAX_FAILURES:
            pending.expires_at = timezone.now()
        pending.save(update_fields=["failed_attempts", "expires_at"])
        return fail(actor, dossier, pending.method, request, "wrong_confirmation_code")
    pending.used_at = timezone.now()
    pending.save(update_fields=["used_at"])
    return conclude(
        actor,
        dossier,
        role=LinkRole(pending.role),
        method=LinkMethod(pending.method),
        request=request,
        confirm_by_email=False,
    )

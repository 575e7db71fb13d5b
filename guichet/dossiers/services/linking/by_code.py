"""A code staff issued to the address on file (``codes.issue_linking_code``): single use,
bound to that address, typed with the dossier's number."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.dossiers.models import LinkingCode, LinkingCodePurpose, LinkMethod, LinkRole
from guichet.dossiers.services.linking.by_number import dossier_numbered
from guichet.dossiers.services.linking.codes import code_digest
from guichet.dossiers.services.linking.conclusion import conclude
from guichet.dossiers.services.linking.outcomes import Outcome, Status
from guichet.dossiers.services.linking.throttle import fail, guard


@transaction.atomic
def link_by_code(
    *, actor: Actor, number: str, code: str, request: HttpRequest | None = None
) -> Outcome:
    """A code staff issued to the address on file: single use, bound to that address."""
    method = LinkMethod.LINKING_CODE
    dossier = dossier_numbered(number)
    if refused := guard(actor, dossier, method, request):
        return refused
    issued = None
    if dossier is not None:
        issued = (
            LinkingCode.objects.select_for_update()
            .filter(
                dossier=dossier,
                purpose=LinkingCodePurpose.ISSUED,
                code_hash=code_digest(code),
                used_at__isnull=True,
                expires_at__gt=timezone.now(),
                sent_to__iexact=dossier.email,
            )
            .exclude(sent_to="")
            .first()
        )
    if dossier is None or issued is None:
        return fail(actor, dossier, method, request, "mismatch")
    outcome = conclude(
        actor,
        dossier,
        role=LinkRole(issued.role),
        method=method,
        request=request,
        confirm_by_email=False,
    )
    if outcome.status == Status.LINKED:
        issued.used_at = timezone.now()
        issued.account = actor
        issued.save(update_fields=["used_at", "account"])
    return outcome

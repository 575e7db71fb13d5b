"""CCQ « anciens accès »: proven by the old password, which is then erased."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from guichet.accounts.types import Actor
from guichet.dossiers.legacy import verify_legacy_password
from guichet.dossiers.models import Dossier, LinkMethod, LinkRole
from guichet.dossiers.services.linking.conclusion import conclude
from guichet.dossiers.services.linking.outcomes import Outcome, Status
from guichet.dossiers.services.linking.throttle import fail, guard

# Compared against when a legacy username is unknown, so both paths take as long.
_DUMMY_BCRYPT = "$2b$10$N1Ao3e/mT0jWSyOVu2tdQ.GhwSbGNogIWfgtAAwHHw4q3t7k57djq"


@transaction.atomic
def link_by_legacy_credentials(
    *, actor: Actor, username: str, password: str, request: HttpRequest | None = None
) -> Outcome:
    """CCQ « anciens accès »: proven by the old password, which is then erased."""
    method = LinkMethod.LEGACY_CREDENTIALS
    username = username.strip()
    dossier = Dossier.objects.filter(legacy_username__iexact=username).first() if username else None
    if refused := guard(actor, dossier, method, request):
        return refused
    if dossier is None or not dossier.legacy_password_hash:
        verify_legacy_password(_DUMMY_BCRYPT, password)
        return fail(actor, dossier, method, request, "mismatch")
    if not verify_legacy_password(dossier.legacy_password_hash, password):
        return fail(actor, dossier, method, request, "mismatch")
    outcome = conclude(
        actor, dossier, role=LinkRole.HOLDER, method=method, request=request, confirm_by_email=False
    )
    if outcome.status == Status.LINKED:
        dossier.legacy_username = ""
        dossier.legacy_password_hash = ""
        dossier.save(update_fields=["legacy_username", "legacy_password_hash", "updated_at"])
    return outcome

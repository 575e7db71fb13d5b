"""Staff: the email on file no longer works, and staff checked the person's identity."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated
from guichet.dossiers.models import (
    Dossier,
    DossierKind,
    DossierLink,
    LinkingCode,
    LinkingCodePurpose,
    LinkMethod,
    LinkRole,
)
from guichet.dossiers.services.linking.outcomes import Outcome, Status
from guichet.dossiers.signals import announce_link


@transaction.atomic
def link_checked_by_staff(
    *, account: Any, dossier: Dossier, actor: Actor, request: HttpRequest | None = None
) -> Outcome:
    """Staff checked the person's identity themselves because the code sent to the
    address on file cannot be read: the account becomes the dossier's holder without the
    code, under the staff's right, and the account's (verified) address replaces the one
    on file. The same rules as any link: one holder per dossier, an adult, one held
    dossier per account."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if DossierLink.objects.active().filter(account=account, role=LinkRole.HOLDER).exists():
        return Outcome(Status.ALREADY_HOLDER, dossier)
    if DossierLink.objects.active().filter(dossier=dossier, role=LinkRole.HOLDER).exists():
        return Outcome(Status.REFUSED, dossier)
    if dossier.kind == DossierKind.PERSON and dossier.birth_date and not dossier.is_adult():
        return Outcome(Status.MINOR, dossier)
    LinkingCode.objects.filter(
        account=account, purpose=LinkingCodePurpose.CONFIRMATION, used_at__isnull=True
    ).update(expires_at=timezone.now())
    if dossier.email.lower() != account.email.lower():
        audit.record(
            Action.PROFILE_CHANGED,
            actor=actor,
            subject=account,
            dossier=dossier,
            right=Right.STAFF,
            request=request,
            data={"before": {"email": dossier.email}, "after": {"email": account.email}},
        )
        dossier.email = account.email
        dossier.save(update_fields=["email", "updated_at"])
    link = DossierLink.objects.create(
        account=account, dossier=dossier, role=LinkRole.HOLDER, method=LinkMethod.STAFF
    )
    audit.record(
        Action.DOSSIER_LINKED,
        actor=actor,
        subject=account,
        dossier=dossier,
        right=Right.STAFF,
        request=request,
        data={"method": LinkMethod.STAFF, "role": LinkRole.HOLDER, "identity": "checked_by_staff"},
    )
    announce_link(link)
    send_templated(
        "dossiers/email/link_made",
        to=dossier.email,
        context={"dossier": dossier, "account": account, "role": LinkRole.HOLDER},
        language=dossier.language,
    )
    return Outcome(Status.LINKED, dossier, link=link)

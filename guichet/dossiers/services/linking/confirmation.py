"""The confirmation code sent to the address on file when knowledge alone is only a hint
(the preset's ``linking_requires_confirmation``); ``by_confirmation`` takes it back."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated
from guichet.dossiers.models import (
    Dossier,
    LinkingCode,
    LinkingCodePurpose,
    LinkMethod,
    LinkRole,
)
from guichet.dossiers.services.linking.codes import code_digest, mask_email

CONFIRMATION_VALIDITY = timedelta(hours=1)
CONFIRMATION_MAX_FAILURES = 5


def send_confirmation(
    account: Any,
    dossier: Dossier,
    *,
    role: LinkRole,
    method: LinkMethod,
    request: HttpRequest | None,
) -> LinkingCode:
    # One pending confirmation per account: asking again replaces the previous code.
    LinkingCode.objects.filter(
        account=account, purpose=LinkingCodePurpose.CONFIRMATION, used_at__isnull=True
    ).update(expires_at=timezone.now())
    code = f"{secrets.randbelow(10**6):06d}"
    record = LinkingCode.objects.create(
        dossier=dossier,
        purpose=LinkingCodePurpose.CONFIRMATION,
        code_hash=code_digest(code),
        sent_to=dossier.email,
        account=account,
        role=role,
        method=method,
        expires_at=timezone.now() + CONFIRMATION_VALIDITY,
    )
    send_templated(
        "dossiers/email/link_confirmation",
        to=dossier.email,
        context={"dossier": dossier, "code": code, "validity_minutes": 60},
        language=dossier.language,
    )
    audit.record(
        Action.LINK_CODE_SENT,
        actor=account,
        subject=account,
        dossier=dossier,
        right=Right.SELF if role == LinkRole.HOLDER else Right.GUARDIAN,
        request=request,
        data={"purpose": LinkingCodePurpose.CONFIRMATION, "sent_to": mask_email(dossier.email)},
    )
    return record


def pending_confirmation(account: Any, *, for_update: bool = False) -> LinkingCode | None:
    codes = LinkingCode.objects.filter(
        account=account,
        purpose=LinkingCodePurpose.CONFIRMATION,
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("dossier")
    if for_update:
        codes = codes.select_for_update(of=("self",))
    return codes.order_by("-created_at").first()

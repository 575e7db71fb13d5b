"""Codes and tokens: how they are made, normalized and stored (a keyed hash, never the
code), and the linking code staff issue to the address on file."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.types import Actor
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

ISSUED_CODE_VALIDITY = timedelta(hours=24)


def normalize_name(value: str) -> str:
    """Case, accents, spaces and hyphens do not matter: « Côté » is « cote »."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def normalize_code(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalnum())


def code_digest(code: str) -> str:
    """Codes are stored as a keyed hash: a database leak does not reveal them."""
    key = f"linking-code:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def token_digest(token: str) -> str:
    """The emailed guardian link's token, stored as a keyed hash like the codes."""
    key = f"guardian-request:{settings.SECRET_KEY}".encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def mask_email(address: str) -> str:
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


# Staff: issue a linking code ----------------------------------------------------------
def new_issued_code() -> str:
    """80 random bits in base 32 (no 0/1 confusion with O/I), read in groups of four."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def issue_linking_code(
    *,
    actor: Actor,
    dossier: Dossier,
    request: HttpRequest | None = None,
    right: Right = Right.STAFF,
) -> LinkingCode:
    """Email a new code to the dossier's address on file; earlier unused codes stop working."""
    if not dossier.email:
        raise ValueError("The dossier has no email on file.")
    now = timezone.now()
    LinkingCode.objects.filter(
        dossier=dossier, purpose=LinkingCodePurpose.ISSUED, used_at__isnull=True
    ).update(expires_at=now)
    code = new_issued_code()
    issued = LinkingCode.objects.create(
        dossier=dossier,
        purpose=LinkingCodePurpose.ISSUED,
        code_hash=code_digest(code),
        sent_to=dossier.email,
        role=LinkRole.HOLDER,
        method=LinkMethod.LINKING_CODE,
        issued_by=actor,
        created_at=now,
        expires_at=now + ISSUED_CODE_VALIDITY,
    )
    send_templated(
        "dossiers/email/link_code",
        to=dossier.email,
        context={"dossier": dossier, "code": code, "expires_at": issued.expires_at},
        language=dossier.language,
    )
    audit.record(
        Action.LINK_CODE_SENT,
        actor=actor,
        dossier=dossier,
        right=right,
        request=request,
        data={"purpose": LinkingCodePurpose.ISSUED, "sent_to": mask_email(dossier.email)},
    )
    return issued

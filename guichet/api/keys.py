"""Making, finding and revoking API keys.

A key reads ``gk_<prefix>_<secret>``: the prefix finds the row, the SHA-256 of the whole
token is compared in constant time. The token is returned once, at creation."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.api.models import ORGANIZATION_SCOPES, SCOPES, ApiKey
from guichet.audit import services as audit
from guichet.audit.models import Action, Right

TOKEN_PREFIX = "gk_"  # noqa: S105 (the visible start of every token, not a secret)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    token: str  # shown once


class BadKeySettings(ValueError):
    pass


def _check(scopes: Iterable[str], allowed_ips: Iterable[str], organization: Any) -> None:
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise BadKeySettings(f"Unknown scopes: {', '.join(sorted(unknown))}")
    beyond = set(scopes) - set(ORGANIZATION_SCOPES)
    if organization is not None and beyond:
        raise BadKeySettings(f"Not for an organization's key: {', '.join(sorted(beyond))}")
    check_networks(allowed_ips)


def check_networks(allowed_ips: Iterable[str]) -> None:
    for network in allowed_ips:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as error:
            raise BadKeySettings(f"Not an address or network: {network}") from error


@transaction.atomic
def create_key(
    *,
    name: str,
    account: Any,
    scopes: Iterable[str],
    actor: Any,
    allowed_ips: Iterable[str] = (),
    expires_at: datetime | None = None,
    rate_per_minute: int = 120,
    organization: Any = None,
) -> NewKey:
    """Staff make a key acting as ``account`` (for ``organization`` only, if given: then
    its scopes are at most ``ORGANIZATION_SCOPES``); the token is in the result, never
    stored."""
    scopes, allowed_ips = sorted(set(scopes)), list(allowed_ips)
    _check(scopes, allowed_ips, organization)
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        secret_hash=_hash(token),
        account=account,
        scopes=scopes,
        allowed_ips=allowed_ips,
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
        organization=organization,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        Action.API_KEY_CREATED,
        actor=actor,
        subject=account,
        right=Right.STAFF,
        data={
            "key": key.name,
            "scopes": scopes,
            **({"organization": organization.number} if organization is not None else {}),
        },
    )
    return NewKey(key, token)


@transaction.atomic
def revoke_key(key: ApiKey, *, actor: Any) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(
            Action.API_KEY_REVOKED,
            actor=actor,
            subject=key.account,
            right=Right.STAFF,
            data={"key": key.name},
        )
    return key


def find_key(token: str) -> ApiKey | None:
    """The key this token is, usable or not (expired and revoked are told apart later)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, _secret = token[len(TOKEN_PREFIX) :].partition("_")
    key = ApiKey.objects.select_related("account", "organization").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(token)):
        return None
    return key


def ip_allowed(key: ApiKey, address: str | None) -> bool:
    if not key.allowed_ips:
        return True
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(net, strict=False) for net in key.allowed_ips)

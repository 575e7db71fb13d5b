"""``Authorization: Bearer gk_…``: the key, its expiry, revocation and address list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from guichet.api import keys
from guichet.api.models import ApiKey
from guichet.audit.services import client_ip

# ``last_used_at`` is written at most this often, not on every request.
LAST_USED_EVERY = timedelta(minutes=1)


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header is malformed."))
        key = keys.find_key(parts[1].decode(errors="replace"))
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        now = timezone.now()
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API key was revoked."))
        if key.expires_at is not None and key.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        if not key.account.is_active:
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        if not keys.ip_allowed(key, client_ip(request._request)):
            raise exceptions.PermissionDenied(_("This API key may not be used from this address."))
        if key.last_used_at is None or key.last_used_at < now - LAST_USED_EVERY:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return key.account, key

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the schema documents the key (drf-spectacular finds it by its target class)."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key made by staff: `Authorization: Bearer gk_…`.",
        }

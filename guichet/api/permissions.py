"""Scopes: a view names its ``resource``; reading needs ``<resource>:read`` (or write),
anything else ``<resource>:write``. What the key's account may see within a scope is the
domains' own business (their querysets and ``dossiers.permissions``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from guichet.api.models import ApiKey


class HasScope(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return False
        resource = getattr(view, "resource", None)
        if resource is None:
            return False
        access = "read" if request.method in SAFE_METHODS else "write"
        scope = f"{resource}:{access}"
        self.message = _("This API key lacks the scope « %(scope)s ».") % {"scope": scope}
        return key.allows(scope)

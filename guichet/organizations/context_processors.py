"""The profile one acts as, for the header of every page (where the preset has
organizations): read from the session, so the header costs no query; offered only to an account with
something to act on for an organization (``header.shown``, also kept in the session)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from guichet import presets
from guichet.organizations import header, queries
from guichet.presets import Feature


def acting_profile(request: HttpRequest) -> dict[str, Any]:
    if not presets.active().has(Feature.ORGANIZATIONS):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    acting_name = queries.acting_name(request)
    if not acting_name and not header.shown(request):
        return {}
    return {"header_extra_template": "organizations/_header.html", "acting_name": acting_name}

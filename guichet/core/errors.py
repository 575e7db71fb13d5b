"""Optional error reporting to Sentry (or a compatible service), off unless
``GUICHET_SENTRY_DSN`` is set.

``init`` starts the maintained sentry-sdk with the Django and Celery integrations and
nothing personal: ``send_default_pii`` off (no user, no address, no cookie), no request
body, no local variables, no performance traces; every event goes through ``scrub``
before it leaves, which

- keeps of the request only its method, its URL without the query string and a few
  harmless headers, and tags the event with the request id (``core.logs``) so it meets
  the JSON log lines of the same request;
- replaces, in every string of the event (exception messages, breadcrumbs, frames'
  context lines), email addresses, social insurance numbers (NAS), phone numbers, and
  the names and address of the person signed in (``PersonalDataMiddleware`` keeps the
  request at hand; its user is read only if the request already read it).
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable
from typing import Any

import sentry_sdk
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

from guichet.core import logs

REDACTED = "[retiré]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A NAS (nine digits, grouped 3-3-3 or not) and a North American phone number.
NAS = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{3}(?!\d)")
PHONE = re.compile(r"(?<!\d)(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}(?!\d)")
SAFE_HEADERS = frozenset({"Host", "User-Agent", "Accept-Language", logs.HEADER})

# The request in progress, whose signed-in person's names and address are scrubbed too.
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "guichet_error_request", default=None
)


def init(dsn: str, *, environment: str = "", release: str = "") -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # send_default_pii stays off (its default; the option is now deprecated to pass).
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
        before_send=scrub,
        before_breadcrumb=_scrub_breadcrumb,
    )


def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    words = tuple(sorted({w for w in words if len(w) >= 2}, key=len, reverse=True))
    if not words:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )


def scrub_text(text: str, names: re.Pattern[str] | None = None) -> str:
    text = EMAIL.sub(REDACTED, text)
    text = PHONE.sub(REDACTED, text)
    text = NAS.sub(REDACTED, text)
    if names is not None:
        text = names.sub(REDACTED, text)
    return text


def _walk(value: Any, names: re.Pattern[str] | None) -> Any:
    if isinstance(value, str):
        return scrub_text(value, names)
    if isinstance(value, dict):
        return {key: _walk(item, names) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(item, names) for item in value]
    return value


def scrub(event: Event, hint: Hint | None = None) -> Event:
    """What leaves for the error service (see the module's docstring)."""
    request: Any = event.get("request")
    if isinstance(request, dict):
        headers: dict[str, Any] = request.get("headers") or {}
        event["request"] = {
            "method": request.get("method"),
            "url": str(request.get("url") or "").split("?", 1)[0],
            "headers": {k: v for k, v in headers.items() if k in SAFE_HEADERS},
        }
    event.pop("user", None)
    if rid := logs.request_id():
        event.setdefault("tags", {})["request_id"] = rid
    cleaned: Event = _walk(event, _pattern(_names_of(current_request.get())))
    return cleaned


def _scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    crumb.pop("data", None)  # a query's parameters, an HTTP call's address
    cleaned: dict[str, Any] = _walk(crumb, _pattern(_names_of(current_request.get())))
    return cleaned


def _names_of(request: HttpRequest | None) -> tuple[str, ...]:
    """The signed-in person's names and address, if the request already read its user
    (never a query here: the database may be what failed)."""
    user = getattr(request, "__dict__", {}).get("user")
    if isinstance(user, SimpleLazyObject):
        user = getattr(user, "_wrapped", empty)
        if user is empty:
            return ()
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    return tuple(str(getattr(user, f, "") or "") for f in ("first_name", "last_name", "email"))


class PersonalDataMiddleware:
    """Keeps the request at hand for ``scrub`` (the names of its signed-in person): one
    context variable set and reset, nothing read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

"""Staff pages: signed in, staff, holding the page's role, and (by
StaffSecondFactorMiddleware) with a second factor.

Staff work under roles rather than one « staff » flag (docs/backoffice.md): each staff page
and service names the roles that may use it, and ``has_role`` answers on the server. A
superuser and the Administration role hold every role. The roles an account holds are the
``StaffRole`` rows of the accounts app, read once per request through
``Account.staff_roles``; core names them without importing accounts (the layers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from guichet.core.roles import Role

_acting: ContextVar[str] = ContextVar("guichet_acting_role", default="")


def current_role() -> str:
    """The role the staff page being served was opened under ("" outside one)."""
    return _acting.get()


def roles_of(user: Any) -> frozenset[str]:
    """The roles a visitor holds: none unless signed in as staff; all for a superuser or
    the Administration role."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return frozenset()
    held: frozenset[str] = frozenset(getattr(user, "staff_roles", frozenset()))
    if user.is_superuser or Role.ADMINISTRATION in held:
        return frozenset(Role.values)
    return held


def has_role(user: Any, *roles: str) -> bool:
    """Whether the visitor is staff holding at least one of ``roles`` (any role if none)."""
    held = roles_of(user)
    return bool(held) and (not roles or not held.isdisjoint(roles))


def acting_role(user: Any, wanted: Iterable[str]) -> str:
    """The role under which the visitor acts on a page that accepts ``wanted`` (for the
    audit row): the first of ``wanted`` it holds, Administration when it holds them all."""
    held = roles_of(user)
    for role in wanted:
        if role in held:
            return str(role)
    return str(Role.ADMINISTRATION) if held else ""


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Visitors go to sign in; signed-in people without one of ``roles`` get a 404 (a
    staff page's existence is not revealed). No role named: any staff role will do."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_staff or not has_role(request.user, *roles):
                raise Http404
            # The role this page is used under, for the audit rows its services write
            # (audit.services.record reads it, with or without the request).
            role = acting_role(request.user, roles or Role.values)
            request.acting_role = role  # type: ignore[attr-defined]
            token = _acting.set(role)
            try:
                return view(request, *args, **kwargs)
            finally:
                _acting.reset(token)

        return wrapper

    return decorator


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Visitors go to sign in; signed-in people who are not staff get a 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper

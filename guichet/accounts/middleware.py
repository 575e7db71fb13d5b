from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.accounts.passwords import has_second_factor


class StaffSecondFactorMiddleware:
    """Staff accounts must turn on two-factor authentication before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def allowed_prefixes(self) -> tuple[str, ...]:
        """Where staff without a second factor may still go: setting one up, and leaving.
        Read from the URL names once, at the first staff request (URLs are loaded by then)."""
        if self._allowed is None:
            mfa_root = reverse("mfa_index")
            self._allowed = (
                mfa_root,
                reverse("account_logout"),
                reverse("account_reauthenticate"),
                reverse("set_language"),
                settings.STATIC_URL,
            )
        return self._allowed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not request.path.startswith(self.allowed_prefixes())
            and not has_second_factor(user)
        ):
            messages.warning(
                request,
                _("Staff accounts must turn on two-factor authentication before going on."),
            )
            return redirect(reverse("mfa_index"))
        return self.get_response(request)

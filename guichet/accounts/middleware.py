from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.accounts.passwords import has_second_factor

# Where staff without a second factor may still go: setting one up, and leaving.
ALLOWED_PREFIXES = ("/compte/2fa/", "/compte/logout/", "/compte/reauthenticate/", "/langue/")


class StaffSecondFactorMiddleware:
    """Staff accounts must turn on two-factor authentication before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.path.startswith("/static/")
            and not has_second_factor(user)
        ):
            messages.warning(
                request,
                _("Staff accounts must turn on two-factor authentication before going on."),
            )
            return redirect(reverse("mfa_index"))
        return self.get_response(request)

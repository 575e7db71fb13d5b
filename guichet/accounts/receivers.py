"""A password change ends the other sessions; a reset ends them all and lifts a lockout."""

from __future__ import annotations

from typing import Any

from allauth.account import signals
from django.dispatch import receiver

from guichet.accounts import lockout, services


@receiver(signals.password_changed)
def on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.end_other_sessions(request, user)


@receiver(signals.password_reset)
def on_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.end_all_sessions(user)
    lockout.clear(user.email)

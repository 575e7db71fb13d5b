"""Account events from Django and allauth, written to the audit trail.

These receivers observe writes that are allauth's or Django's, not ours: they record
leniently (``record_leniently``), so a trail that cannot be written never breaks a sign-in.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from guichet.audit.models import Action
from guichet.audit.services import record_leniently


@receiver(auth_signals.user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_leniently(Action.LOGIN, actor=user, subject=user, request=request)


@receiver(auth_signals.user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_leniently(Action.LOGOUT, actor=user, subject=user, request=request)


@receiver(account_signals.user_signed_up)
def on_signup(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_leniently(Action.SIGNED_UP, actor=user, subject=user, request=request)


@receiver(account_signals.email_confirmed)
def on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    user = email_address.user
    record_leniently(Action.EMAIL_CONFIRMED, actor=user, subject=user, request=request)


@receiver(account_signals.email_changed)
def on_email_changed(
    sender: Any,
    request: Any,
    user: Any,
    from_email_address: Any,
    to_email_address: Any,
    **kwargs: Any,
) -> None:
    data = {
        "before": getattr(from_email_address, "email", None),
        "after": to_email_address.email,
    }
    record_leniently(Action.EMAIL_CHANGED, actor=user, subject=user, request=request, data=data)


@receiver(account_signals.password_changed)
def on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_leniently(Action.PASSWORD_CHANGED, actor=user, subject=user, request=request)


@receiver(account_signals.password_reset)
def on_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_leniently(Action.PASSWORD_RESET, actor=user, subject=user, request=request)


@receiver(mfa_signals.authenticator_added)
def on_mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    data = {"type": authenticator.type}
    record_leniently(Action.MFA_ENABLED, actor=user, subject=user, request=request, data=data)


@receiver(mfa_signals.authenticator_removed)
def on_mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    data = {"type": authenticator.type}
    record_leniently(Action.MFA_DISABLED, actor=user, subject=user, request=request, data=data)

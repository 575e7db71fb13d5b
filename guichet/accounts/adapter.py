"""allauth glue: email through Guichet's mail queue, lockout, French wording."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet import presets
from guichet.accounts import lockout
from guichet.core import crypto
from guichet.core.dates import format_time
from guichet.core.mail import dispatch


def lockout_message(until: Any) -> str:
    return _(
        "Too many failed sign-in attempts. For your security, signing in with this "
        "email address is blocked until %(time)s. To unlock it now, reset your password "
        "with “Forgot your password?”."
    ) % {"time": format_time(until)}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The same words whether the address is unknown or the password wrong.
        "email_password_mismatch": gettext_lazy("The email address or the password is incorrect."),
        "too_many_login_attempts": gettext_lazy(
            "Too many failed sign-in attempts. Wait a few minutes, then try again."
        ),
        "enter_current_password": gettext_lazy("Type your current password."),
        "incorrect_password": gettext_lazy("Incorrect password."),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render in the recipient's language and queue through ``core.mail``."""
        account = get_user_model().objects.filter(email__iexact=email).first()
        language = account.language if account else translation.get_language()
        # allauth's notifications carry no ``user``: greet the account holder by name.
        context = {"operator": presets.active(), "user": account, **context}
        with translation.override(language):
            request = context.get("request") or getattr(self, "request", None)
            ctx = {"request": request, "email": email, **context}
            message = self.render_mail(template_prefix, email, ctx)
        dispatch(message)

    def format_email_subject(self, subject: str) -> str:
        return f"{presets.active().short_name} — {subject}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        until = lockout.locked_until(credentials.get("email", ""))
        if until is not None:
            raise ValidationError(lockout_message(until), code="locked")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        if user is not None:
            lockout.clear(credentials.get("email", ""))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        until = lockout.register_failure(credentials.get("email", ""), request=request)
        if until is not None:
            raise ValidationError(lockout_message(until), code="locked")

    def get_http_user_agent(self, request: HttpRequest) -> str:
        # allauth writes an English « Unspecified » into the security emails otherwise.
        return request.META.get("HTTP_USER_AGENT", "")

    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        return reverse("accounts:security")

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.language = translation.get_language() or "fr"
        user.terms_accepted_at = timezone.now()
        return super().save_user(request, user, form, commit=commit)


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted with the project's key ring.

    Whoever reads the database or a backup must not be able to compute someone's codes.
    allauth calls these hooks each time it stores or reads a secret.
    """

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

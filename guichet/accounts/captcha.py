"""A self-hosted proof-of-work CAPTCHA (ALTCHA protocol).

The page carries a signed challenge; the browser finds the number whose SHA-256 with
the salt matches it (``static/accounts/altcha.js``) and sends it back. Nothing is loaded
from a third party, no one is tracked, and a solved challenge is accepted only once.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import altcha
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _hmac_key() -> str:
    return f"altcha:{settings.SECRET_KEY}"


def new_challenge() -> dict[str, Any]:
    challenge = altcha.create_challenge_v1(
        hmac_key=_hmac_key(),
        max_number=settings.GUICHET_ALTCHA_MAX_NUMBER,
        expires=timezone.now() + timedelta(minutes=settings.GUICHET_ALTCHA_EXPIRES_MINUTES),
    )
    return {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "maxnumber": challenge.max_number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }


def verify(payload: str) -> bool:
    """True once for a valid, unexpired solution; a replayed solution is refused."""
    ok, _error = altcha.verify_solution_v1(payload, _hmac_key(), check_expires=True)
    if not ok:
        return False
    signature = json.loads(base64.b64decode(payload))["signature"]
    ttl = settings.GUICHET_ALTCHA_EXPIRES_MINUTES * 60
    return cache.add(f"altcha-used:{signature}", 1, timeout=ttl)


class AltchaWidget(forms.Widget):
    template_name = "accounts/altcha_widget.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        context["challenge_json"] = json.dumps(new_challenge())
        return context


class AltchaField(forms.CharField):
    widget = AltchaWidget
    default_error_messages = {
        "required": _(
            "The anti-robot check did not finish. Wait for “Check complete” and send the "
            "form again (JavaScript must be on)."
        ),
        "invalid": _("The anti-robot check expired or was already used. Send the form again."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Anti-robot check"))
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        try:
            valid = verify(value)
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

"""The social insurance number (NAS): checking it and showing it masked.

A NAS has nine digits and passes the Luhn check. Service Canada never gives an
individual a number starting with 0 (not assigned: Service Canada's own fictitious
specimens, such as « 046 454 286 », start with it) or 8 (business numbers); 9 is a
temporary resident's number and is accepted. People may type spaces or dashes.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEPARATORS = re.compile(r"[\s\-]+")
NOT_FOR_INDIVIDUALS = ("0", "8")


def luhn_ok(digits: str) -> bool:
    """The Luhn check: every second digit from the right doubled, the digits summed."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize(raw: str) -> str:
    """« 130-692-544 » → « 130692544 »: separators removed, nothing else changed."""
    return SEPARATORS.sub("", raw or "")


def clean_sin(raw: str) -> str:
    """The nine digits of a valid NAS, or ``ValidationError`` with a message for the person."""
    digits = normalize(raw)
    if not digits:
        raise ValidationError(_("Enter your social insurance number."), code="required")
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("A social insurance number contains only digits (spaces and dashes are allowed)."),
            code="digits",
        )
    if len(digits) != 9:
        raise ValidationError(
            _("A social insurance number has 9 digits; you entered %(count)d.")
            % {"count": len(digits)},
            code="length",
        )
    if digits[0] in NOT_FOR_INDIVIDUALS or not luhn_ok(digits):
        raise ValidationError(
            _("This is not a valid social insurance number: check the digits on your card."),
            code="invalid",
        )
    return digits


def masked(last3: str) -> str:
    """« *** *** 286 »: all that is ever shown of a NAS."""
    return f"*** *** {last3}" if last3 else ""

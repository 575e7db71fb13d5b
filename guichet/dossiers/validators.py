"""Quebec formats: postal codes (A1A 1A1) and North American phone numbers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTAL_CODE = re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$")
PHONE_DIGITS = re.compile(r"\d")


def normalize_postal_code(value: str) -> str:
    """« h3b1a1 » → « H3B 1A1 »; anything else is returned stripped and upper-cased."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) == 6:
        return f"{compact[:3]} {compact[3:]}"
    return compact


def validate_postal_code(value: str) -> None:
    if value and not POSTAL_CODE.match(normalize_postal_code(value)):
        raise ValidationError(
            _("Enter a Canadian postal code such as H2X 1Y4."), code="invalid_postal_code"
        )


def normalize_phone(value: str) -> str:
    """Ten digits (a leading 1 dropped) as « 418 555-0142 », with its extension if any."""
    main, _sep, extension = (value or "").partition("poste")
    digits = "".join(PHONE_DIGITS.findall(main))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return (value or "").strip()
    formatted = f"{digits[:3]} {digits[3:6]}-{digits[6:]}"
    ext = "".join(PHONE_DIGITS.findall(extension))
    return f"{formatted} poste {ext}" if ext else formatted


def validate_phone(value: str) -> None:
    if not value:
        return
    main = value.partition("poste")[0]
    digits = "".join(PHONE_DIGITS.findall(main))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        raise ValidationError(
            _("Enter a 10-digit phone number such as 418 555-0142."), code="invalid_phone"
        )

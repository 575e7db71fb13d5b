"""Password validators driven by the active preset's policy.

One validator states the whole rule, in plain words, both beside the field (help text)
and as the error, so a person reads the same sentence before and after a mistake.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet import presets
from guichet.presets import PasswordPolicy


def _class_names() -> dict[str, str]:
    return {
        "lower": _("lower-case letter"),
        "upper": _("upper-case letter"),
        "digit": _("digit"),
        "symbol": _("symbol"),
    }


def character_classes(password: str) -> set[str]:
    found = set()
    for char in password:
        if char.islower():
            found.add("lower")
        elif char.isupper():
            found.add("upper")
        elif char.isdigit():
            found.add("digit")
        elif not char.isspace():
            found.add("symbol")
    return found


def has_second_factor(user: Any) -> bool:
    if user is None or not getattr(user, "pk", None):
        return False
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


def describe(policy: PasswordPolicy) -> str:
    """The policy as one sentence, e.g. Baie-Comeau's wording."""
    names = _class_names()
    text = ngettext(
        "Your password must be at least %(count)d character long",
        "Your password must be at least %(count)d characters long",
        policy.min_length,
    ) % {"count": policy.min_length}
    if policy.min_length_with_mfa:
        text += _(" (%(count)d once two-factor authentication is on)") % {
            "count": policy.min_length_with_mfa
        }
    if policy.required_classes:
        listed = [names[name] for name in policy.required_classes]
        text += _(" and contain at least one of each: %(classes)s") % {"classes": ", ".join(listed)}
    if policy.min_classes:
        text += _(" and contain %(count)d of the following: %(classes)s") % {
            "count": policy.min_classes,
            "classes": ", ".join(names[name] for name in presets.CHARACTER_CLASSES),
        }
    if policy.min_letters or policy.min_digits:
        text += _(" and contain at least %(letters)d letters and %(digits)d digits") % {
            "letters": policy.min_letters,
            "digits": policy.min_digits,
        }
    text += "."
    if not (policy.required_classes or policy.min_classes or policy.min_letters):
        text += " " + _("Every character is allowed, spaces too: a sentence makes a good password.")
    return text


class PolicyValidator:
    def validate(self, password: str, user: Any = None) -> None:
        policy = presets.active().password_policy
        minimum = policy.min_length
        if policy.min_length_with_mfa and has_second_factor(user):
            minimum = policy.min_length_with_mfa
        letters = sum(char.isalpha() for char in password)
        digits = sum(char.isdigit() for char in password)
        classes = character_classes(password)
        broken = (
            len(password) < minimum
            or not set(policy.required_classes) <= classes
            or len(classes) < policy.min_classes
            or letters < policy.min_letters
            or digits < policy.min_digits
        )
        if broken:
            raise ValidationError(describe(policy), code="password_policy")
        if len(password) > policy.max_length:
            raise ValidationError(
                _("Your password may have at most %(count)d characters.")
                % {"count": policy.max_length},
                code="password_too_long",
            )
        if policy.blocklist:
            try:
                CommonPasswordValidator().validate(password)
            except ValidationError:
                raise ValidationError(
                    _(
                        "This password is one of the most common ones and would be guessed "
                        "quickly. Choose another one."
                    ),
                    code="password_too_common",
                ) from None

    def get_help_text(self) -> str:
        return describe(presets.active().password_policy)


class PersonalInformationValidator(UserAttributeSimilarityValidator):
    """Refuses a password too close to the person's own name or email."""

    DEFAULT_USER_ATTRIBUTES = ("email", "first_name", "last_name")

    def __init__(self, user_attributes: Any = DEFAULT_USER_ATTRIBUTES, max_similarity: float = 0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("Your password is too close to your name or your email address."),
                code="password_too_similar",
            ) from None

    def get_help_text(self) -> str:
        return ""

"""Password validators driven by the active preset's policy.

One validator states the whole rule, in plain words, both beside the field (help text)
and as the error, so a person reads the same sentence before and after a mistake.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from zxcvbn import matching

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
    text += ". " + _(
        "It must not be only a repeated character, a run (123456, abcdef, qwerty) or your "
        "name or your email address."
    )
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


# Characters that may join guessable pieces without making the whole any harder to guess.
SEPARATORS = frozenset(" \t-_.,'’")
# A repeated group longer than this (« une phrase une phrase ») is not « a repeated character ».
MAX_REPEATED_GROUP = 3
MIN_PIECE = 3
# « 123456789012345 » is two runs, « Marguerite Tremblay » two names; « abc123def » strings
# three runs together and is left to the preset's policy.
MAX_PIECES = 2
# Keyboard rows only: on a numeric keypad every digit touches the next, so a year such as
# « 2026 » would read as a run. Digit runs are found as sequences (123456, 98765).
KEYBOARDS = {name: matching.GRAPHS[name] for name in ("qwerty", "dvorak")}


def _plain(text: str) -> str:
    """Lower case without accents, so « Geneviève » matches « genevieve »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def personal_words(user: Any) -> list[str]:
    """The person's names and email address, whole and in pieces (« jean-françois »,
    « jean », « francois »), as a guesser who knows them would try them."""
    words: list[str] = []
    for attribute in ("first_name", "last_name", "email"):
        value = _plain(str(getattr(user, attribute, "") or ""))
        if not value:
            continue
        words.append(value)
        if attribute == "email":
            value = value.split("@", 1)[0]
            words.append(value)
        pieces = re.split(r"[\s\-'’._+]+", value)
        words.extend([*pieces, "".join(pieces)])  # « jean-francois », « jean », « jeanfrancois »
    return [word for word in dict.fromkeys(words) if len(word) >= MIN_PIECE]


def _fewest_pieces(text: str, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The fewest pieces that cover every character but separators (greedy interval
    cover), or an empty list when some character is left uncovered."""
    chosen: list[tuple[int, int, str]] = []
    position = 0
    while True:
        while position < len(text) and text[position] in SEPARATORS:
            position += 1
        if position == len(text):
            return chosen
        reaching = [piece for piece in pieces if piece[0] <= position <= piece[1]]
        if not reaching:
            return []
        best = max(reaching, key=lambda piece: piece[1])
        chosen.append(best)
        position = best[1] + 1


def guessable_kind(password: str, words: list[str]) -> str | None:
    """« name », « repeat » or « run » when the password is made of nothing else.

    The pieces are found by zxcvbn's matchers: repeats of a short group, sequences
    (« abcdef », « 98765 »), keyboard rows and the person's own words. The password is
    guessable when at most ``MAX_PIECES`` of them cover every character but separators; a
    password that merely *contains* such pieces, or strings many different ones together,
    is left to the policy.
    """
    text = _plain(password)
    pieces: list[tuple[int, int, str]] = [
        (match["i"], match["j"], "repeat")
        for match in matching.repeat_match(text)
        if len(match["base_token"]) <= MAX_REPEATED_GROUP
    ]
    pieces += [
        (match["i"], match["j"], "run")
        for match in matching.sequence_match(text) + matching.spatial_match(text, KEYBOARDS)
        if match["j"] - match["i"] + 1 >= MIN_PIECE
    ]
    if words:
        # A dictionary of our own: zxcvbn's module-wide "user_inputs" is shared by threads.
        own = {"user_inputs": matching.build_ranked_dict(words)}
        pieces += [
            (match["i"], match["j"], "name")
            for match in matching.dictionary_match(text, own)
            + matching.reverse_dictionary_match(text, own)
        ]
    cover = _fewest_pieces(text, pieces)
    if not cover or len(cover) > MAX_PIECES:
        return None
    kinds = {kind for _start, _end, kind in cover}
    return next(kind for kind in ("name", "repeat", "run") if kind in kinds)


class GuessablePasswordValidator:
    """Refuses, under every preset's policy, a password made only of a repeated character,
    a run (123456, abcdef, a keyboard row) or the person's own name or email address:
    such passwords satisfy a length or a character-class rule and are still guessed first.
    """

    def validate(self, password: str, user: Any = None) -> None:
        kind = guessable_kind(password, personal_words(user) if user is not None else [])
        if kind == "name":
            message = _(
                "Your password is made only of your name or your email address: it would be "
                "guessed at once."
            )
        elif kind == "repeat":
            message = _(
                "Your password is only a repeated character or group of characters (like "
                "“aaaa” or “abcabc”): it would be guessed at once."
            )
        elif kind == "run":
            message = _(
                "Your password is only a run of letters, digits or keyboard keys (like "
                "“123456”, “abcdef” or “qwerty”): it would be guessed at once."
            )
        else:
            return
        raise ValidationError(message, code="password_guessable")

    def get_help_text(self) -> str:
        return ""  # stated in the policy's sentence (``describe``)

"""Each preset's password rule: refused and accepted passwords, the rule in plain French."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from guichet import presets
from guichet.accounts.passwords import describe
from guichet.presets import PRESETS
from tests.accounts.password_cases import CASES

pytestmark = pytest.mark.django_db


def messages_for(password: str, user=None) -> list[str]:
    with translation.override("fr"):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return error.messages
    return []


@pytest.mark.parametrize(("preset", "refused", "accepted", "rule"), CASES)
def test_preset_policy_states_its_rule(settings, preset, refused, accepted, rule):
    settings.GUICHET_PRESET = preset

    assert any(rule in message for message in messages_for(refused))
    assert messages_for(accepted) == []


def test_common_passwords_are_refused_whatever_their_length(settings):
    settings.GUICHET_PRESET = "baie-comeau"
    assert any("plus courants" in message for message in messages_for("Password1"))


def test_default_policy_allows_long_passwords_up_to_128(settings):
    assert messages_for("é" * 40 + " une phrase avec des espaces " + "x" * 50) == []
    assert any("au plus 128" in message for message in messages_for("a" * 129))


def test_caomsc_never_caps_passwords_at_12(settings):
    settings.GUICHET_PRESET = "caomsc"
    assert messages_for("abc123def456ghi789") == []


def test_nist_minimum_drops_to_8_once_two_factor_is_on(account):
    assert messages_for("Court-7x!", account)
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
    assert messages_for("Court-7x!", account) == []


def test_password_close_to_the_name_is_refused(account):
    account.first_name, account.last_name = "Marguerite", "Bourgeoys-Tremblay"
    assert any(
        "trop proche" in message
        for message in messages_for("marguerite bourgeoys-tremblay", account)
    )


GUESSABLE = [
    ("a" * 20, "un caractère répété"),
    ("abcabcabcabcabcabc", "un caractère répété"),
    ("123456789012345", "une suite"),
    ("qwertyuiopasdfghjkl", "une suite"),
    ("Marguerite Tremblay", "votre nom ou votre adresse courriel"),
    ("tremblaymarguerite", "votre nom ou votre adresse courriel"),
    ("marguerite.tremblay@exemple.ca", "votre nom ou votre adresse courriel"),
]


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize(("password", "reason"), GUESSABLE)
def test_guessable_passwords_are_refused_with_their_reason_under_every_policy(
    settings, account, preset, password, reason
):
    settings.GUICHET_PRESET = preset
    account.first_name, account.last_name = "Marguerite", "Tremblay"
    account.email = "marguerite.tremblay@exemple.ca"

    assert any(reason in message for message in messages_for(password, account))


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_policy_states_what_is_too_easy_to_guess(settings, preset):
    settings.GUICHET_PRESET = preset
    with translation.override("fr"):
        rule = describe(presets.active().password_policy)
    assert "caractère répété" in rule and "votre nom ou votre adresse courriel" in rule


def test_passwords_that_only_contain_a_run_or_a_name_are_accepted(account):
    account.first_name, account.last_name = "Marguerite", "Tremblay"
    assert messages_for("Tremblay, marguerite des champs 1234", account) == []
    assert messages_for("une phrase avec abc et 123 dedans", account) == []


def test_a_name_with_a_year_is_left_to_the_policy(settings, account):
    """« julie2026abc » is a name, a year and a run: not only guessable pieces."""
    settings.GUICHET_PRESET = "caomsc"
    account.first_name = "Julie"
    assert messages_for("julie2026abc", account) == []


def test_a_compound_first_name_written_without_its_hyphen_is_still_the_name(account):
    account.first_name, account.last_name = "Jean-François", "Gagnon"
    assert any("votre nom" in message for message in messages_for("jeanfrancoisgagnon", account))

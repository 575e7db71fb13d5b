"""The payer's social insurance number: checked, encrypted, shown masked, never logged."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ValidationError
from django.db import connection

from guichet.audit.models import Action, AuditEvent
from guichet.billing import sin
from guichet.billing.models import PayerTaxInfo
from guichet.billing.services import rl24
from guichet.core import crypto
from tests.billing.cast import holder

VALID = "104796669"  # passes the Luhn check, first digit given to individuals


@pytest.mark.parametrize(
    "typed", ["104796669", "104 796 669", "104-796-669", " 104 796-669 ", "961111440"]
)
def test_a_valid_number_is_accepted_with_spaces_or_dashes(typed):
    assert sin.clean_sin(typed) == typed.replace(" ", "").replace("-", "")


def test_a_wrong_check_digit_is_refused_with_a_french_message():
    with pytest.raises(ValidationError) as error:
        sin.clean_sin("104796668")
    assert error.value.code == "invalid"


@pytest.mark.parametrize("typed", ["10479666", "1047966690", "", "   "])
def test_a_number_without_nine_digits_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        sin.clean_sin(typed)
    assert error.value.code in {"length", "required"}


@pytest.mark.parametrize("typed", ["104.796.669", "1O4796669", "１０４７９６６６９"])
def test_other_characters_are_refused(typed):
    with pytest.raises(ValidationError) as error:
        sin.clean_sin(typed)
    assert error.value.code == "digits"


@pytest.mark.parametrize(
    "typed",
    [
        "046 454 286",  # Service Canada's fictitious specimen: Luhn-valid, starts with 0
        "878418557",  # Luhn-valid, 8: business numbers
    ],
)
def test_numbers_never_given_to_individuals_are_refused(typed):
    assert sin.luhn_ok(typed.replace(" ", ""))
    with pytest.raises(ValidationError):
        sin.clean_sin(typed)


def test_the_luhn_check_itself():
    assert sin.luhn_ok("046454286")
    assert not sin.luhn_ok("046454287")


def test_masked_shows_only_the_last_three_digits():
    assert sin.masked("669") == "*** *** 669"
    assert sin.masked("") == ""


def test_encryption_round_trip_and_tokens_differ_each_time():
    first, second = crypto.encrypt(VALID), crypto.encrypt(VALID)
    assert first != second and VALID not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == VALID


def test_the_default_key_is_derived_from_the_secret_key(settings):
    settings.GUICHET_ENCRYPTION_KEYS = []
    token = crypto.encrypt(VALID)
    assert Fernet(crypto.derived_key(settings.SECRET_KEY)).decrypt(token.encode()) == VALID.encode()
    settings.SECRET_KEY = "another secret key, another derived key"
    with pytest.raises(InvalidToken):
        crypto.decrypt(token)


def test_key_rotation_with_two_keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GUICHET_ENCRYPTION_KEYS = [old]
    under_old = crypto.encrypt(VALID)
    settings.GUICHET_ENCRYPTION_KEYS = [new, old]  # the new key first encrypts, both decrypt
    assert crypto.decrypt(under_old) == VALID
    rotated = crypto.rotate(under_old)
    assert Fernet(new.encode()).decrypt(rotated.encode()) == VALID.encode()
    settings.GUICHET_ENCRYPTION_KEYS = [new]  # the old key retired
    assert crypto.decrypt(rotated) == VALID
    with pytest.raises(InvalidToken):
        crypto.decrypt(under_old)


@pytest.mark.django_db
def test_record_sin_stores_it_encrypted_and_the_column_never_holds_the_clear_number(caplog):
    account, dossier = holder()
    caplog.set_level("DEBUG")
    rl24.record_sin(dossier, "104 796 669", actor=account)
    info = PayerTaxInfo.objects.get(dossier=dossier)
    assert info.sin_last3 == "669" and str(info) == "*** *** 669"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sin_encrypted FROM billing_payertaxinfo WHERE dossier_id = %s", [dossier.pk]
        )
        (stored,) = cursor.fetchone()
    assert VALID not in stored and "104 796" not in stored
    assert rl24.sin_of(dossier) == VALID
    assert VALID not in caplog.text


@pytest.mark.django_db
def test_the_audit_trail_records_that_it_changed_never_the_number():
    account, dossier = holder()
    rl24.record_sin(dossier, VALID, actor=account)
    rl24.record_sin(dossier, "961111440", actor=account)
    events = AuditEvent.objects.filter(action=Action.TAX_INFO_CHANGED, dossier=dossier)
    assert events.count() == 2
    for event in events:
        assert event.actor == account
        assert VALID not in str(event.data) and "669" not in str(event.data)
        assert "961111440" not in str(event.data)
    assert PayerTaxInfo.objects.get(dossier=dossier).sin_last3 == "440"


@pytest.mark.django_db
def test_record_sin_refuses_a_bad_number_and_keeps_nothing():
    account, dossier = holder()
    with pytest.raises(ValidationError):
        rl24.record_sin(dossier, "104796668", actor=account)
    assert not PayerTaxInfo.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.TAX_INFO_CHANGED).exists()

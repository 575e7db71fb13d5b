"""Second-factor secrets: encrypted at rest with the project's key ring, never in the admin."""

from __future__ import annotations

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.usersessions.models import UserSession
from cryptography.fernet import Fernet
from django.apps import apps
from django.db import connection

from guichet.core import crypto

pytestmark = pytest.mark.django_db

encrypt_migration = importlib.import_module(
    "guichet.accounts.migrations.0002_encrypt_second_factor_secrets"
)


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def stored_data(authenticator: Authenticator) -> str:
    """The row as the database holds it, read without the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        return cursor.fetchone()[0]


def test_totp_secret_is_stored_encrypted_and_still_checks_codes(account):
    secret = generate_totp_secret()

    totp = TOTP.activate(account, secret)

    assert secret not in stored_data(totp.instance)
    assert crypto.decrypt(totp.instance.data["secret"]) == secret
    fresh = TOTP(Authenticator.objects.get(pk=totp.instance.pk))
    assert fresh.validate_code(current_code(secret))


def test_recovery_code_seed_is_stored_encrypted_and_codes_still_work(account):
    codes = RecoveryCodes.activate(account)
    seed = crypto.decrypt(codes.instance.data["seed"])
    unused = codes.get_unused_codes()

    assert seed not in stored_data(codes.instance)
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(unused[0])


def test_secrets_follow_the_key_ring_rotation(settings, account):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GUICHET_ENCRYPTION_KEYS = [old]
    secret = generate_totp_secret()
    totp = TOTP.activate(account, secret)

    settings.GUICHET_ENCRYPTION_KEYS = [new, old]
    assert TOTP(Authenticator.objects.get(pk=totp.instance.pk)).validate_code(current_code(secret))


def test_migration_encrypts_existing_clear_secrets_once(account, outsider):
    """Rows written before the encryption hook (clear base32 secret, clear hex seed)."""
    secret = generate_totp_secret()
    clear_totp = Authenticator.objects.create(
        user=account, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    clear_codes = Authenticator.objects.create(
        user=account,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "ab" * 40, "used_mask": 0, "migrated_codes": ["12345678"]},
    )
    already = TOTP.activate(outsider, generate_totp_secret()).instance
    already_token = already.data["secret"]

    encrypt_migration.encrypt_secrets(apps, None)
    encrypt_migration.encrypt_secrets(apps, None)  # a second run changes nothing

    clear_totp.refresh_from_db()
    clear_codes.refresh_from_db()
    already.refresh_from_db()
    assert secret not in stored_data(clear_totp)
    assert "ab" * 40 not in stored_data(clear_codes)
    assert "12345678" not in stored_data(clear_codes)
    assert crypto.decrypt(clear_totp.data["secret"]) == secret
    assert crypto.decrypt(clear_codes.data["seed"]) == "ab" * 40
    assert already.data["secret"] == already_token
    assert TOTP(clear_totp).validate_code(current_code(secret))
    assert RecoveryCodes(clear_codes).get_unused_codes() == ["12345678"]

    encrypt_migration.decrypt_secrets(apps, None)  # the way back
    clear_totp.refresh_from_db()
    assert clear_totp.data["secret"] == secret


def signed_in_staff(client, staff) -> None:
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)


def test_the_admin_does_not_show_authenticators(client, staff):
    signed_in_staff(client, staff)

    assert client.get("/admin/mfa/authenticator/").status_code == 404
    assert b"/admin/mfa/" not in client.get("/admin/").content


def test_the_session_admin_searches_by_email_and_ip(client, staff, account):
    session = UserSession.objects.create(
        user=account, ip="203.0.113.7", session_key="a" * 32, user_agent="Firefox"
    )
    signed_in_staff(client, staff)

    def found(query: str) -> bool:
        response = client.get("/admin/usersessions/usersession/", {"q": query})
        assert response.status_code == 200
        return "203.0.113.7" in response.content.decode()

    assert not found("zzz")
    assert found(account.email.upper())
    assert found("203.0.113.7")
    change_page = client.get(f"/admin/usersessions/usersession/{session.pk}/change/")
    assert change_page.status_code == 200
    assert "a" * 32 not in change_page.content.decode()  # the session key is a credential

"""Encrypt the TOTP secrets and recovery-code seeds stored in clear before
``accounts.adapter.MFAAdapter`` encrypted them (see core/crypto.py)."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.db import migrations

from guichet.core import crypto

# What allauth keeps secret in ``Authenticator.data``, per authenticator type.
SECRET_KEYS = {"totp": ("secret",), "recovery_codes": ("seed",)}
SECRET_LISTS = {"recovery_codes": ("migrated_codes",)}


def _is_encrypted(value: str) -> bool:
    try:
        crypto.decrypt(value)
    except InvalidToken:
        return False
    return True


def _encrypt(value: str) -> str:
    return value if _is_encrypted(value) else crypto.encrypt(value)


def _decrypt(value: str) -> str:
    return crypto.decrypt(value) if _is_encrypted(value) else value


def _convert(apps: Any, convert: Any) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=SECRET_KEYS):
        data = dict(authenticator.data)
        for key in SECRET_KEYS[authenticator.type]:
            if data.get(key):
                data[key] = convert(data[key])
        for key in SECRET_LISTS.get(authenticator.type, ()):
            if data.get(key) is not None:
                data[key] = [convert(value) for value in data[key]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps: Any, schema_editor: Any) -> None:
    _convert(apps, _encrypt)


def decrypt_secrets(apps: Any, schema_editor: Any) -> None:
    _convert(apps, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]

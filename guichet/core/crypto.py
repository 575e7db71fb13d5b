"""The project's key ring: encryption at rest of the secrets Guichet must read back.

Used for the social insurance numbers kept for the Relevé 24 (billing) and the
two-factor secrets (accounts: TOTP secrets and recovery-code seeds).

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with the keys of
``settings.GUICHET_ENCRYPTION_KEYS``: the first encrypts, every key decrypts, so keys
rotate by putting a new one first and re-encrypting (``rotate``). Without configured
keys, one key is derived from ``SECRET_KEY`` with HKDF-SHA256 and a fixed label, so a
development database works out of the box; production sets its own keys (changing the
secret key would otherwise make the stored secrets unreadable).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# The label keeps the name it had when only billing used the key ring, so the key derived
# in development databases still opens the numbers stored then.
HKDF_INFO = b"guichet.billing.sin-encryption.v1"

__all__ = ["InvalidToken", "decrypt", "derived_key", "encrypt", "rotate"]


def derived_key(secret: str) -> bytes:
    """A Fernet key derived from the secret key (HKDF-SHA256, fixed info label)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(raw)


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "GUICHET_ENCRYPTION_KEYS", []) or [])
    if not keys:
        keys = [derived_key(settings.SECRET_KEY)]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The clear text; ``InvalidToken`` if no configured key opens it."""
    return _fernet().decrypt(token.encode("ascii")).decode()


def rotate(token: str) -> str:
    """The same text encrypted again with the first (newest) key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")

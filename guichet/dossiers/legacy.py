"""Legacy credentials (CCQ « anciens accès ») imported as password hashes.

Formats accepted in the import's ``legacy_password_hash`` column:
- ``bcrypt``: ``$2a$`` / ``$2b$`` / ``$2y$`` hashes as PHP and most systems store them;
- ``sha1$<salt>$<hex>`` and ``md5$<salt>$<hex>``: hex digest of salt + password, the
  salted formats of older Django and home-grown systems;
- any hash Django itself understands (``pbkdf2_sha256$…``, ``argon2$…``).
Used only to prove a link; the hash is erased once the link is made.
"""

from __future__ import annotations

import hashlib
import hmac

import bcrypt
from django.contrib.auth.hashers import check_password, identify_hasher

SALTED = {"sha1": hashlib.sha1, "md5": hashlib.md5}


def verify_legacy_password(encoded: str, password: str) -> bool:
    if not encoded or not password:
        return False
    if encoded.startswith(("$2a$", "$2b$", "$2y$")):
        normalized = "$2b$" + encoded[4:]
        try:
            return bcrypt.checkpw(password.encode(), normalized.encode())
        except ValueError:
            return False
    algorithm, _sep, rest = encoded.partition("$")
    if algorithm in SALTED and rest.count("$") == 1:
        salt, expected = rest.split("$")
        digest = SALTED[algorithm]((salt + password).encode()).hexdigest()  # noqa: S324
        return hmac.compare_digest(digest, expected.lower())
    try:
        identify_hasher(encoded)
    except ValueError:
        return False
    return check_password(password, encoded)


def is_supported_hash(encoded: str) -> bool:
    if encoded.startswith(("$2a$", "$2b$", "$2y$")):
        return True
    algorithm, _sep, rest = encoded.partition("$")
    if algorithm in SALTED:
        return rest.count("$") == 1
    try:
        identify_hasher(encoded)
    except ValueError:
        return False
    return True

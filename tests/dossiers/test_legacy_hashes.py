"""Legacy credentials (CCQ « anciens accès »): each documented hash format is verified."""

from __future__ import annotations

import hashlib

import bcrypt
import pytest
from django.contrib.auth.hashers import make_password

from guichet.dossiers.legacy import is_supported_hash, verify_legacy_password

PASSWORD = "Ancien mot 2009"


def bcrypt_hash(prefix: str) -> str:
    encoded = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    return prefix + encoded[4:]


def salted(algorithm: str, salt: str = "sel42") -> str:
    digest = hashlib.new(algorithm, (salt + PASSWORD).encode()).hexdigest()
    return f"{algorithm}${salt}${digest}"


HASHES = {
    "bcrypt $2a$": lambda: bcrypt_hash("$2a$"),
    "bcrypt $2b$": lambda: bcrypt_hash("$2b$"),
    "bcrypt $2y$ (PHP)": lambda: bcrypt_hash("$2y$"),
    "sha1$salt$hex": lambda: salted("sha1"),
    "md5$salt$hex": lambda: salted("md5"),
    "Django pbkdf2": lambda: make_password(
        PASSWORD, hasher="pbkdf2_sha256", salt="abcdefghijklmnop"
    ),
}


@pytest.mark.parametrize("kind", sorted(HASHES))
def test_legacy_hash_accepts_the_right_password_and_refuses_others(kind):
    encoded = HASHES[kind]()
    assert is_supported_hash(encoded)
    assert verify_legacy_password(encoded, PASSWORD)
    assert not verify_legacy_password(encoded, PASSWORD + "x")
    assert not verify_legacy_password(encoded, "")


def test_upper_case_hex_digests_are_accepted():
    encoded = salted("sha1").upper().replace("SHA1$SEL42$", "sha1$sel42$")
    assert verify_legacy_password(encoded, PASSWORD)


@pytest.mark.parametrize("encoded", ["crypt-des-abc", "sha256$sel$abc", "md5$abc", ""])
def test_unknown_hash_formats_are_unsupported_and_never_verify(encoded):
    assert not is_supported_hash(encoded)
    assert not verify_legacy_password(encoded, PASSWORD)

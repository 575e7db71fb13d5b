"""Start-up check: a configured signing certificate must be readable."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

SETTINGS = (
    "GUICHET_SIGNING_KEY_FILE",
    "GUICHET_SIGNING_CERT_FILE",
    "GUICHET_SIGNING_CHAIN_FILE",
    "GUICHET_SIGNING_PKCS12_FILE",
    "GUICHET_SIGNING_TRUST_FILE",
)


def signing_files(**kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for name in SETTINGS:
        value = getattr(settings, name, "")
        if value and not Path(value).is_file():
            errors.append(
                checks.Error(
                    f"{name} names {value}, which is not a readable file.",
                    hint="See docs/credentials.md: the operator's signing certificate.",
                    id="guichet.credentials.E001",
                )
            )
    key, cert = settings.GUICHET_SIGNING_KEY_FILE, settings.GUICHET_SIGNING_CERT_FILE
    if bool(key) != bool(cert):
        errors.append(
            checks.Error(
                "GUICHET_SIGNING_KEY_FILE and GUICHET_SIGNING_CERT_FILE go together.",
                hint="Set both, or GUICHET_SIGNING_PKCS12_FILE, or neither (demo certificate).",
                id="guichet.credentials.E002",
            )
        )
    tsa = settings.GUICHET_TSA_URL
    if tsa and urlsplit(tsa).scheme not in {"http", "https"}:
        errors.append(
            checks.Error(
                "GUICHET_TSA_URL must be an http or https address.",
                hint="See docs/credentials.md: timestamp and long-term validation.",
                id="guichet.credentials.E003",
            )
        )
    return errors


def register() -> None:
    checks.register(signing_files)

"""Core's start-up checks: the deployment's settings and the operator's preset.

Each app registers its own from its ``AppConfig.ready`` (``accounts/checks.py``: the
password policy; ``billing/checks.py``: the card provider).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from guichet import presets


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any, **kwargs: Any) -> list[Warning]:
    found = []
    if not settings.HTTPS:
        found.append(
            Warning(
                "GUICHET_HTTPS is off: cookies are not marked Secure and HSTS is not sent.",
                hint="Serve Guichet over HTTPS and set GUICHET_HTTPS=true.",
                id="guichet.W001",
            )
        )
    if not settings.REDIS_URL:
        found.append(
            Warning(
                "GUICHET_REDIS_URL is not set: rate limits and the cache live in each "
                "process's memory and tasks run inside web requests.",
                id="guichet.W002",
            )
        )
    if not getattr(settings, "GUICHET_ENCRYPTION_KEYS", None):
        found.append(
            Warning(
                "GUICHET_ENCRYPTION_KEYS is not set: the key that encrypts social insurance "
                "numbers and two-factor secrets is derived from the secret key, so changing "
                "GUICHET_SECRET_KEY makes them unreadable.",
                hint="Generate a key (see docs/deployment.md), set GUICHET_ENCRYPTION_KEYS "
                "and back it up apart from the database.",
                id="guichet.W003",
            )
        )
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache":
        found.append(
            Warning(
                "Sessions live only in the cache: a Redis restart signs everyone out.",
                hint="Use django.contrib.sessions.backends.cached_db (the default with Redis).",
                id="guichet.W004",
            )
        )
    storage = settings.STORAGES.get("default", {}).get("BACKEND", "")
    if (
        storage == "django.core.files.storage.FileSystemStorage"
        and getattr(settings, "GUICHET_APP_SERVERS", 1) > 1
        and not getattr(settings, "GUICHET_MEDIA_SHARED", False)
    ):
        found.append(
            Warning(
                "Uploaded files are kept on each app server's own disk while "
                f"GUICHET_APP_SERVERS={settings.GUICHET_APP_SERVERS}: a document uploaded "
                "through one server is missing on the others.",
                hint="Configure an S3-compatible store (GUICHET_S3_BUCKET) or mount one "
                "shared folder as the media folder and set GUICHET_MEDIA_SHARED=true.",
                id="guichet.W005",
            )
        )
    return found


@register()
def check_preset(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        presets.by_name(settings.GUICHET_PRESET)
    except ValueError as error:
        return [Error(str(error), id="guichet.E001")]
    return []

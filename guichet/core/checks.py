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
    return found


@register()
def check_preset(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        presets.by_name(settings.GUICHET_PRESET)
    except ValueError as error:
        return [Error(str(error), id="guichet.E001")]
    return []

"""The accounts app's start-up checks (registered by ``AccountsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from guichet import presets


@register()
def check_password_policy(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Long passphrases must always fit: no preset may cap passwords below 64 characters."""
    try:
        preset = presets.by_name(settings.GUICHET_PRESET)
    except ValueError:
        return []  # core's check_preset reports the unknown preset
    policy = preset.password_policy
    if policy.max_length < 64:
        return [
            Error(
                f"Preset {preset.slug!r} caps passwords at {policy.max_length} characters; "
                "Guichet never accepts a maximum below 64.",
                id="guichet.E002",
            )
        ]
    return []

"""Start-up checks of the deployment's configuration."""

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
        preset = presets.by_name(settings.GUICHET_PRESET)
    except ValueError as error:
        return [Error(str(error), id="guichet.E001")]
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


@register()
def check_payment_provider(app_configs: Any, **kwargs: Any) -> list[Error]:
    """An unknown card provider, or one without its keys, stops start-up rather than
    failing on the first invoice page."""
    from guichet.billing.providers import active_provider

    try:
        provider = active_provider()
    except ValueError as error:
        return [
            Error(
                str(error),
                hint="Use stripe, demo, or leave it empty (no card payment).",
                id="guichet.E003",
            )
        ]
    if provider is not None and not provider.is_configured():
        return [
            Error(
                f"GUICHET_PAYMENT_PROVIDER={provider.name} needs its keys "
                "(GUICHET_STRIPE_SECRET_KEY and GUICHET_STRIPE_WEBHOOK_SECRET).",
                id="guichet.E004",
            )
        ]
    return []

"""Billing's start-up checks (registered by ``BillingConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from guichet.billing.providers import active_provider


@register()
def check_payment_provider(app_configs: Any, **kwargs: Any) -> list[Error]:
    """An unknown card provider, or one without its keys, stops start-up rather than
    failing on the first invoice page."""
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

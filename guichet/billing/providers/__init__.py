"""Card payment providers behind one interface (``base.CardProvider``).

``GUICHET_PAYMENT_PROVIDER`` picks one; Stripe's hosted Checkout is the reference and
``demo`` plays it inside Guichet for demonstrations without internet. Moneris or another
provider is a new module implementing the same three calls (see docs/payments.md).
"""

from __future__ import annotations

from django.conf import settings

from guichet.billing.providers.base import CardProvider


def active_provider() -> CardProvider | None:
    """The configured provider, or ``None`` when card payment is not offered."""
    name = settings.GUICHET_PAYMENT_PROVIDER
    if not name:
        return None
    # Lazy on purpose (not a cycle): a provider's module, and the payment library it
    # wraps, load only where that provider is configured.
    if name == "stripe":
        from guichet.billing.providers.stripe import StripeProvider

        return StripeProvider.from_settings()
    if name == "demo":
        from guichet.billing.providers.demo import DemoProvider

        return DemoProvider.from_settings()
    raise ValueError(f"GUICHET_PAYMENT_PROVIDER: unknown provider {name!r}")

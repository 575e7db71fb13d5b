"""Card payment providers behind one interface (``base.CardProvider``).

``GUICHET_PAYMENT_PROVIDER`` picks one; Stripe's hosted Checkout is the reference and
``demo`` plays it inside Guichet for demonstrations without internet. Moneris or another
provider is a new module implementing the same three calls (see docs/payments.md).
"""

from __future__ import annotations

from django.conf import settings

from guichet.billing.providers.base import CardProvider
from guichet.billing.providers.demo import DemoProvider
from guichet.billing.providers.stripe import StripeProvider


def active_provider() -> CardProvider | None:
    """The configured provider, or ``None`` when card payment is not offered."""
    name = settings.GUICHET_PAYMENT_PROVIDER
    if not name:
        return None
    if name == "stripe":
        return StripeProvider.from_settings()
    if name == "demo":
        return DemoProvider.from_settings()
    raise ValueError(f"GUICHET_PAYMENT_PROVIDER: unknown provider {name!r}")

"""A card provider for demonstrations without internet (``GUICHET_PAYMENT_PROVIDER=demo``).

Its hosted checkout page is served by Guichet itself (``billing:demo_checkout``). Its
« Payer » button builds the ``checkout.session.completed`` event Stripe would send, signs
it with Stripe's scheme and hands it to the same ``handle_webhook`` as a real call, so the
signature check, the idempotency and the ledger all run as in production. No money moves.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse

from guichet.billing.providers.base import HostedCheckout
from guichet.billing.providers.stripe import (
    SIGNATURE_HEADER,
    StripeProvider,
    signature_header,
    to_minor_units,
)


def demo_webhook_secret() -> str:
    """The Stripe webhook secret if one is set, otherwise one derived from SECRET_KEY."""
    if settings.GUICHET_STRIPE_WEBHOOK_SECRET:
        return settings.GUICHET_STRIPE_WEBHOOK_SECRET
    digest = hmac.new(settings.SECRET_KEY.encode(), b"guichet-demo-webhook", hashlib.sha256)
    return "whsec_demo_" + digest.hexdigest()


class DemoProvider(StripeProvider):
    """Stripe's event format and signature, without Stripe's servers."""

    name = "demo"

    @classmethod
    def from_settings(cls) -> DemoProvider:
        return cls(secret_key="", webhook_secret=demo_webhook_secret(), api_base="")

    def is_configured(self) -> bool:
        return True

    def create_checkout(
        self,
        *,
        invoice_id: int,
        invoice_number: str,
        amount: Decimal,
        description: str,
        customer_email: str,
        language: str,
        success_url: str,
        cancel_url: str,
    ) -> HostedCheckout:
        session_id = "cs_demo_" + secrets.token_hex(12)
        return HostedCheckout(
            provider_id=session_id, url=reverse("billing:demo_checkout", args=[session_id])
        )

    def refund(self, *, payment_reference: str, amount: Decimal) -> str:
        return "re_demo_" + secrets.token_hex(12)

    def completed_event(self, checkout: Any) -> tuple[bytes, dict[str, str]]:
        """The signed ``checkout.session.completed`` call for a paid demo checkout."""
        event = {
            "id": "evt_demo_" + secrets.token_hex(12),
            "object": "event",
            "type": "checkout.session.completed",
            "created": int(time.time()),
            "data": {
                "object": {
                    "id": checkout.provider_id,
                    "object": "checkout.session",
                    "mode": "payment",
                    "payment_status": "paid",
                    "status": "complete",
                    "amount_total": to_minor_units(checkout.amount),
                    "currency": "cad",
                    "client_reference_id": str(checkout.invoice_id),
                    "payment_intent": "pi_demo_" + secrets.token_hex(12),
                    "metadata": {"invoice": str(checkout.invoice_id)},
                }
            },
        }
        body = json.dumps(event).encode()
        return body, {SIGNATURE_HEADER: signature_header(body, self.webhook_secret)}

"""Stripe Checkout through Stripe's official SDK (the ``stripe`` package).

Three calls: create a hosted checkout session, read a signed webhook, refund. Amounts
leave Guichet as integer cents computed from ``Decimal`` and come back the same way.
The SDK's client is pointed at ``GUICHET_STRIPE_API_BASE`` (tests run a fake Stripe at
the HTTP boundary there) and never retries on its own. The webhook signature is checked
by the SDK (``stripe.Webhook.construct_event``): the ``Stripe-Signature`` header carries
``t=<unix time>`` and one or more ``v1=<hex>``, each an HMAC-SHA256 of ``"<t>.<body>"``
keyed with the endpoint's signing secret; one must match and ``t`` must be recent, so a
captured call cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings

from guichet.billing.providers.base import (
    HostedCheckout,
    PaymentEvent,
    ProviderError,
    SignatureError,
)
from guichet.core.money import CENT, to_cents

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Stripe-Signature"
TOLERANCE_SECONDS = 300  # Stripe's libraries use five minutes too
# A hosted page stays open this long (Stripe accepts 30 minutes to 24 hours); the
# registration is kept at least as long (``services.payments.start_checkout``).
CHECKOUT_LIFETIME_SECONDS = 3600
# The API version Guichet's calls and webhooks were written against.
API_VERSION = "2024-06-20"
PAID_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


def to_minor_units(amount: Decimal) -> int:
    """Dollars (``Decimal``) to integer cents, exactly."""
    return int(to_cents(amount) * 100)


def from_minor_units(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def signature_header(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` value Stripe would send for ``body`` (used by the demo)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_sign(body, secret, timestamp)}"


def _sign(body: bytes, secret: str, timestamp: int | str) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def verify_signature(
    body: bytes, header: str | None, secret: str, *, tolerance: int = TOLERANCE_SECONDS
) -> dict[str, Any]:
    """The event, once the SDK has seen one ``v1`` signature of ``header`` match the body
    within the tolerance; ``SignatureError`` otherwise."""
    if not secret:
        raise SignatureError("no webhook signing secret is configured")
    if not header:
        raise SignatureError("missing Stripe-Signature header")
    try:
        event = stripe.Webhook.construct_event(body, header, secret, tolerance=tolerance)
    except stripe.SignatureVerificationError as exc:
        raise SignatureError(str(exc)) from exc
    except ValueError as exc:  # signed, but not JSON
        raise SignatureError("signed, but not a Stripe event") from exc
    return event.to_dict()


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """Header lookup that ignores case (Django's ``request.headers`` or a plain dict)."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


class StripeProvider:
    name = "stripe"

    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str,
        api_base: str = "https://api.stripe.com",
        timeout: float = 20.0,
    ) -> None:
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout

    def _client(self) -> stripe.StripeClient:
        if not self.secret_key:
            raise ProviderError("GUICHET_STRIPE_SECRET_KEY is not set")
        return stripe.StripeClient(
            self.secret_key,
            base_addresses={"api": self.api_base},
            stripe_version=API_VERSION,
            max_network_retries=0,  # a retry is the payer's, from the page
            http_client=stripe.RequestsClient(timeout=self.timeout),
        )

    @classmethod
    def from_settings(cls) -> StripeProvider:
        return cls(
            secret_key=settings.GUICHET_STRIPE_SECRET_KEY,
            webhook_secret=settings.GUICHET_STRIPE_WEBHOOK_SECRET,
            api_base=settings.GUICHET_STRIPE_API_BASE,
        )

    def is_configured(self) -> bool:
        """Both keys are set: without them « Payer maintenant » is not offered."""
        return bool(self.secret_key and self.webhook_secret)

    # --- Checkout -----------------------------------------------------------------------

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
        params: dict[str, Any] = {
            "mode": "payment",
            "expires_at": int(time.time()) + CHECKOUT_LIFETIME_SECONDS,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "cad",
                        "unit_amount": to_minor_units(amount),
                        "product_data": {"name": description[:250] or invoice_number},
                    },
                }
            ],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "locale": "en" if language.startswith("en") else "fr",
            "client_reference_id": str(invoice_id),
            "metadata": {"invoice": str(invoice_id), "invoice_number": invoice_number},
            "payment_intent_data": {"metadata": {"invoice": str(invoice_id)}},
        }
        if customer_email:
            params["customer_email"] = customer_email
        with _answers("/v1/checkout/sessions"):
            made = self._client().v1.checkout.sessions.create(params)  # type: ignore[arg-type]
        session = made.to_dict()
        if not session.get("id") or not session.get("url"):
            raise ProviderError("Stripe answered a checkout session without id or url")
        return HostedCheckout(provider_id=str(session["id"]), url=str(session["url"]))

    # --- Webhook ------------------------------------------------------------------------

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent:
        event = verify_signature(body, header_value(headers, SIGNATURE_HEADER), self.webhook_secret)
        try:
            event_id = str(event["id"])
            event_type = str(event["type"])
            obj = event.get("data", {}).get("object", {}) or {}
        except (KeyError, TypeError, AttributeError) as exc:
            raise SignatureError("signed, but not a Stripe event") from exc
        if not event_type.startswith("checkout.session."):
            return PaymentEvent(event_id=event_id, event_type=event_type)
        intent = obj.get("payment_intent") or ""
        if isinstance(intent, dict):  # expanded
            intent = intent.get("id", "")
        try:
            amount = from_minor_units(obj.get("amount_total") or 0)
        except (TypeError, ValueError) as exc:
            raise SignatureError("signed, but the amount is unreadable") from exc
        return PaymentEvent(
            event_id=event_id,
            event_type=event_type,
            paid=event_type in PAID_EVENTS and obj.get("payment_status") == "paid",
            checkout_id=str(obj.get("id", "")),
            payment_reference=str(intent),
            amount=amount,
            currency=str(obj.get("currency") or "cad").lower(),
            metadata=dict(obj.get("metadata") or {}),
        )

    # --- Refund -------------------------------------------------------------------------

    def refund(self, *, payment_reference: str, amount: Decimal) -> str:
        with _answers("/v1/refunds"):
            refund = (
                self._client()
                .v1.refunds.create(
                    {"payment_intent": payment_reference, "amount": to_minor_units(amount)}
                )
                .to_dict()
            )
        if not refund.get("id"):
            raise ProviderError("Stripe answered a refund without id")
        return str(refund["id"])


class _answers:
    """Stripe's errors as the provider's: what Stripe answered, or that it was unreachable."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, traceback: Any) -> None:
        if isinstance(exc, stripe.APIConnectionError):
            logger.warning("Stripe %s unreachable: %s", self.path, exc)
            raise ProviderError(f"Stripe could not be reached: {exc.user_message}") from exc
        if isinstance(exc, stripe.StripeError):
            detail = exc.user_message or str(exc)
            logger.warning("Stripe %s answered %s: %s", self.path, exc.http_status, detail)
            raise ProviderError(f"Stripe answered {exc.http_status}: {detail}") from exc

"""Stripe Checkout, spoken over HTTPS with the standard library (no ``stripe`` package).

Three calls: create a hosted checkout session, read a signed webhook, refund. Amounts
leave Guichet as integer cents computed from ``Decimal`` and come back the same way.
The webhook signature is Stripe's own scheme: the ``Stripe-Signature`` header carries
``t=<unix time>`` and one or more ``v1=<hex>``, each an HMAC-SHA256 of ``"<t>.<body>"``
keyed with the endpoint's signing secret; one must match (constant-time) and ``t`` must
be recent, so a captured call cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

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
    body: bytes,
    header: str | None,
    secret: str,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> None:
    """Raise ``SignatureError`` unless one ``v1`` signature of ``header`` matches."""
    if not secret:
        raise SignatureError("no webhook signing secret is configured")
    if not header:
        raise SignatureError("missing Stripe-Signature header")
    timestamp = ""
    signatures: list[str] = []
    for item in header.split(","):
        key, _sep, value = item.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if not timestamp.isdigit() or not signatures:
        raise SignatureError("malformed Stripe-Signature header")
    expected = _sign(body, secret, timestamp)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("no signature matches the body")
    now = time.time() if now is None else now
    if int(timestamp) < now - tolerance:
        raise SignatureError("timestamp outside the tolerance")


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
        fields = {
            "mode": "payment",
            "expires_at": str(int(time.time()) + CHECKOUT_LIFETIME_SECONDS),
            "line_items[0][quantity]": "1",
            "line_items[0][price_data][currency]": "cad",
            "line_items[0][price_data][unit_amount]": str(to_minor_units(amount)),
            "line_items[0][price_data][product_data][name]": description[:250] or invoice_number,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "locale": "en" if language.startswith("en") else "fr",
            "client_reference_id": str(invoice_id),
            "metadata[invoice]": str(invoice_id),
            "metadata[invoice_number]": invoice_number,
            "payment_intent_data[metadata][invoice]": str(invoice_id),
        }
        if customer_email:
            fields["customer_email"] = customer_email
        session = self._post("/v1/checkout/sessions", fields)
        if not session.get("id") or not session.get("url"):
            raise ProviderError("Stripe answered a checkout session without id or url")
        return HostedCheckout(provider_id=str(session["id"]), url=str(session["url"]))

    # --- Webhook ------------------------------------------------------------------------

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent:
        verify_signature(body, header_value(headers, SIGNATURE_HEADER), self.webhook_secret)
        try:
            event = json.loads(body)
            event_id = str(event["id"])
            event_type = str(event["type"])
            obj = event.get("data", {}).get("object", {}) or {}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
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
        refund = self._post(
            "/v1/refunds",
            {"payment_intent": payment_reference, "amount": str(to_minor_units(amount))},
        )
        if not refund.get("id"):
            raise ProviderError("Stripe answered a refund without id")
        return str(refund["id"])

    # --- HTTP ---------------------------------------------------------------------------

    def _post(self, path: str, fields: dict[str, str]) -> dict[str, Any]:
        if not self.secret_key:
            raise ProviderError("GUICHET_STRIPE_SECRET_KEY is not set")
        request = urllib.request.Request(  # noqa: S310 (https from settings, not user input)
            self.api_base + path,
            data=urllib.parse.urlencode(fields).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.secret_key}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Stripe-Version": "2024-06-20",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = _error_message(exc.read())
            logger.warning("Stripe %s answered %s: %s", path, exc.code, detail)
            raise ProviderError(f"Stripe answered {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            logger.warning("Stripe %s unreachable: %s", path, exc)
            raise ProviderError(f"Stripe could not be reached: {exc}") from exc
        try:
            answer = json.loads(payload)
        except ValueError as exc:
            raise ProviderError("Stripe answered something that is not JSON") from exc
        if not isinstance(answer, dict):
            raise ProviderError("Stripe answered something that is not an object")
        return answer


def _error_message(payload: bytes) -> str:
    try:
        return str(json.loads(payload)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return payload[:200].decode(errors="replace")

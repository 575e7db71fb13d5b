"""What Guichet needs from a card payment provider: a hosted checkout page for an
invoice, a verified notification that it was paid, and a refund."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol


class SignatureError(Exception):
    """A webhook whose signature is missing, wrong or too old: refused and logged."""


class ProviderError(Exception):
    """The provider answered with an error or could not be reached."""


@dataclass(frozen=True)
class HostedCheckout:
    provider_id: str  # the provider's id of the checkout session
    url: str  # where « Payer maintenant » sends the payer


@dataclass(frozen=True)
class PaymentEvent:
    """A verified notification from the provider."""

    event_id: str
    event_type: str
    paid: bool = False  # the checkout completed and the money was captured
    checkout_id: str = ""
    payment_reference: str = ""  # the provider's id of the payment (used to refund)
    amount: Decimal = Decimal("0.00")
    currency: str = "cad"
    metadata: dict[str, Any] = field(default_factory=dict)


class CardProvider(Protocol):
    name: str

    def is_configured(self) -> bool:
        """Its keys are set: otherwise card payment is not offered."""
        ...

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
    ) -> HostedCheckout: ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> PaymentEvent:
        """Verify the signature (raise ``SignatureError``) and read the event."""
        ...

    def refund(self, *, payment_reference: str, amount: Decimal) -> str:
        """Refund ``amount`` of a captured payment; returns the refund's id."""
        ...

"""Giving back what was paid beyond what is owed, once a credit note lowered an invoice.

What is credited is the source's decision (a registration's refund policy:
``registrations.services.billing``); the surplus it leaves is refunded here: on the card
when the payment was by card and a provider is configured, otherwise the invoice shows
« Remboursement à faire » in the staff queue, where staff record the refund they sent.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.utils.translation import gettext as _

from guichet.accounts.types import Actor
from guichet.billing.models import Invoice, PaymentMethod
from guichet.billing.providers import active_provider
from guichet.billing.providers.base import ProviderError
from guichet.billing.services.ledger import record_payment
from guichet.core.money import ZERO

logger = logging.getLogger(__name__)


def refund_surplus(invoice: Invoice, *, actor: Actor | None) -> Decimal:
    """Refund by card what was paid beyond what is owed; returns what is left to refund
    by hand (shown to staff)."""
    invoice.refresh_from_db()
    surplus = -invoice.balance
    if surplus <= ZERO:
        return ZERO
    provider = active_provider()
    card_payments = invoice.payments.filter(
        method=PaymentMethod.CARD, amount__gt=0, provider_reference__isnull=False
    ).order_by("-amount")
    for payment in card_payments if provider else []:
        amount = min(surplus, payment.amount)
        assert provider is not None and payment.provider_reference is not None  # filtered above
        try:
            refund_id = provider.refund(payment_reference=payment.provider_reference, amount=amount)
        except ProviderError:
            logger.exception("Card refund failed for invoice %s", invoice.number)
            break
        record_payment(
            invoice,
            amount=-amount,
            method=PaymentMethod.CARD,
            actor=actor,
            provider_reference=refund_id,
            note=_("Refund on the card"),
        )
        surplus -= amount
        if surplus <= ZERO:
            break
    return surplus

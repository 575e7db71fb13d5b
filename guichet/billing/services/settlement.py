"""What a cancelled or expired registration does to its invoice.

The offering's refund policy decides what is credited: everything (``full``), everything
but the cancellation fee (``fee``), or nothing once money was paid (``none``; an unpaid
invoice is still credited in full, so cancelling never leaves a debt). Money paid beyond
what is still owed is refunded: on the card when the payment was by card and a provider
is configured, otherwise the invoice shows « Remboursement à faire » in the staff queue,
where staff record the refund they sent.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.billing.models import Invoice, PaymentMethod
from guichet.billing.providers import active_provider
from guichet.billing.providers.base import ProviderError
from guichet.billing.services.invoicing import credit_invoice, uncredited
from guichet.billing.services.ledger import record_payment
from guichet.core.money import ZERO, to_cents

logger = logging.getLogger(__name__)


def amount_kept(invoice: Invoice, offering: Any, fee_left: Decimal) -> Decimal | None:
    """Before-tax amount the operator keeps on this invoice; ``None``: credit nothing."""
    if offering.refund_policy == "none":
        return None if invoice.amount_paid > ZERO else ZERO
    if offering.refund_policy == "fee":
        return min(fee_left, uncredited(invoice))
    return ZERO


@transaction.atomic
def settle_cancellation(registration: Any, *, actor: Any, expired: bool = False) -> None:
    """Credit each open invoice of the registration, then refund any surplus. The
    cancellation fee is kept once, from the first invoices (the participant's fee before
    its gala companions)."""
    fee_left = to_cents(registration.offering.cancellation_fee or ZERO)
    for invoice in registration.invoices.select_for_update().order_by("id"):
        if expired:
            reason = _("Registration expired unpaid")
            keep: Decimal | None = ZERO
        else:
            reason = _("Registration cancelled")
            keep = amount_kept(invoice, registration.offering, fee_left)
        if keep is not None:
            credit_invoice(invoice, actor=actor, reason=reason, keep=keep)
            fee_left -= keep
        refund_surplus(invoice, actor=actor)


def refund_surplus(invoice: Invoice, *, actor: Any) -> Decimal:
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

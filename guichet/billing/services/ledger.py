"""Money in and out of an invoice: payments, refunds and their consequences.

``record_payment`` is the one writer of ``Payment`` rows and of ``Invoice.amount_paid``:
the card webhook, the staff receipt queue and refunds all go through it. It locks the
invoice row first, so two payments of one invoice add up exactly, and a provider's
reference recorded once is never recorded again (the same webhook event twice pays once).
A payment that leaves nothing owed announces ``signals.invoice_settled`` inside the same
transaction: the invoice's source (a registration…) is confirmed with the payment, or
neither is recorded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing import signals
from guichet.billing.models import DocumentKind, Invoice, Payment, PaymentMethod
from guichet.billing.numbering import next_number
from guichet.billing.services.invoicing import notify_payer
from guichet.billing.signals import invoice_settled
from guichet.core.money import ZERO, to_cents


class PaymentRefused(Exception):
    """The payment cannot be recorded; the message is shown to staff."""


@transaction.atomic
def record_payment(
    invoice: Invoice,
    *,
    amount: Decimal,
    method: PaymentMethod | str,
    actor: Actor | None = None,
    received_on: date | None = None,
    reference: str = "",
    provider_reference: str | None = None,
    note: str = "",
) -> Payment:
    """Record money received (``amount`` > 0) or given back (``amount`` < 0).

    With ``provider_reference``, a second call for the same reference returns the first
    payment and changes nothing."""
    amount = to_cents(amount)
    if amount == ZERO:
        raise PaymentRefused("A payment of zero is not a payment.")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if provider_reference:
        existing = Payment.objects.filter(provider_reference=provider_reference).first()
        if existing is not None:
            return existing
    if amount < ZERO and -amount > invoice.amount_paid:
        raise PaymentRefused("A refund cannot exceed what was paid.")
    received_on = received_on or timezone.localdate()
    payment = Payment.objects.create(
        invoice=invoice,
        method=method,
        amount=amount,
        received_on=received_on,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        payer_dossier=invoice.payer_dossier,
        reference=reference[:100],
        provider_reference=provider_reference or None,
        receipt_number=(
            next_number(DocumentKind.RECEIPT, received_on.year) if amount > ZERO else None
        ),
        note=note[:255],
    )
    invoice.amount_paid += amount
    invoice.due_at = None  # money received: the registration no longer expires unpaid
    invoice.save(update_fields=["amount_paid", "due_at"])
    audit.record(
        Action.PAYMENT_RECORDED if amount > ZERO else Action.REFUND_RECORDED,
        actor=actor,  # audit.record keeps only a saved account
        subject=invoice.payer_account,
        dossier=invoice.payer_dossier,
        right=Right.STAFF if getattr(actor, "is_staff", False) else Right.SYSTEM,
        data={
            "invoice": invoice.pk,
            "payment": payment.pk,
            "amount": str(amount),
            "method": str(method),
        },
    )
    if amount > ZERO:
        notify_payer(invoice, "billing/email/payment_received", payment=payment)
        if invoice.balance <= ZERO:
            # Receivers run here, in this transaction: one that fails rolls back the
            # payment with it (see ``signals``).
            invoice_settled.send(sender=Invoice, invoice=invoice, actor=actor)
    else:
        notify_payer(invoice, "billing/email/refund_issued", payment=payment)
    signals.announce(signals.payment_recorded, payment=payment)
    return payment

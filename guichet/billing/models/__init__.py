"""Billing's models, one module per concern; imported from here as before
(``from guichet.billing.models import Invoice``)."""

from guichet.billing.models.checkouts import Checkout, CheckoutStatus, WebhookEvent
from guichet.billing.models.invoices import (
    OFFLINE_METHODS,
    CreditNote,
    CreditNoteLine,
    DocumentKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    NumberSequence,
    PaymentMethod,
)
from guichet.billing.models.payments import Payment
from guichet.billing.models.rl24 import (
    BatchStatus,
    ChildcareSplit,
    PayerTaxInfo,
    SlipStatus,
    TaxSlipBatch,
    TaxSlipRL24,
)

__all__ = [
    "OFFLINE_METHODS",
    "BatchStatus",
    "Checkout",
    "CheckoutStatus",
    "ChildcareSplit",
    "CreditNote",
    "CreditNoteLine",
    "DocumentKind",
    "Invoice",
    "InvoiceLine",
    "InvoiceStatus",
    "NumberSequence",
    "PayerTaxInfo",
    "Payment",
    "PaymentMethod",
    "SlipStatus",
    "TaxSlipBatch",
    "TaxSlipRL24",
    "WebhookEvent",
]

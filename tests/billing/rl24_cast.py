"""Relevé 24 test helpers on top of ``cast``: childcare invoices and dated payments,
through the real services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from guichet.billing.models import Invoice, Payment, PaymentMethod
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.rl24 import record_sin
from tests.billing.cast import invoiced
from tests.catalog.factories import OfferingFactory

SIN_A = "104796669"
SIN_B = "269920575"


def day_camp(price: str = "200.00", **kwargs: Any):
    """A childcare-eligible activity (a day camp), tax exempt as childcare is."""
    return OfferingFactory(
        title=kwargs.pop("title", "Camp de jour"),
        non_member_price=Decimal(price),
        member_price=Decimal(price),
        childcare_eligible=True,
        tax_exempt=True,
        **kwargs,
    )


def childcare_invoice(guardian, child, price: str = "200.00", **kwargs: Any) -> Invoice:
    """``guardian`` registers ``child`` to a new day camp: the confirmed invoice."""
    _registration, invoice = invoiced(guardian, child, day_camp(price, **kwargs))
    return invoice


def pay(invoice: Invoice, amount: str, on: datetime.date, **kwargs: Any) -> Payment:
    """A payment (negative: a refund) received on ``on``, by cheque."""
    return record_payment(
        invoice,
        amount=Decimal(amount),
        method=kwargs.pop("method", PaymentMethod.CHEQUE),
        received_on=on,
        **kwargs,
    )


def with_sin(account, dossier, number: str = SIN_A) -> None:
    record_sin(dossier, number, actor=account)

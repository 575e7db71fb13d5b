"""Quebec sales taxes on an invoice line: GST (TPS) 5 % and QST (TVQ) 9.975 %.

Since 2013 the QST is computed on the price before GST (no tax on tax). Each tax is
computed on the line's amount and rounded to the cent half up, line by line; the
invoice's totals are the sums of its lines, so the document always adds up. A tax-exempt
line (childcare, most recreation for children under 15) carries neither tax.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from guichet.core.money import ZERO, to_cents

GST_RATE = Decimal("0.05")
QST_RATE = Decimal("0.09975")


@dataclass(frozen=True)
class TaxedAmount:
    amount: Decimal  # before taxes
    gst: Decimal
    qst: Decimal

    @property
    def total(self) -> Decimal:
        return self.amount + self.gst + self.qst


def tax_line(quantity: int, unit_price: Decimal, *, exempt: bool) -> TaxedAmount:
    """The line's amount (quantity × unit price, to the cent) and its two taxes."""
    amount = to_cents(unit_price * quantity)
    if exempt:
        return TaxedAmount(amount, ZERO, ZERO)
    return TaxedAmount(amount, to_cents(amount * GST_RATE), to_cents(amount * QST_RATE))


def add_up(lines: list[TaxedAmount]) -> TaxedAmount:
    """Totals of a document: the sum of its lines, never recomputed on the total."""
    return TaxedAmount(
        sum((line.amount for line in lines), ZERO),
        sum((line.gst for line in lines), ZERO),
        sum((line.qst for line in lines), ZERO),
    )

"""Money: ``Decimal`` with two places, one rounding rule, never a float.

Amounts are rounded to the cent half up (0.005 → 0.01), as Revenu Québec and the Canada
Revenue Agency round taxes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal | int | str) -> Decimal:
    """Round to the cent, half up. Refuses floats: their binary error is not money."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float; pass a Decimal, an int or a str.")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def split(amount: Decimal, percent: Decimal) -> tuple[Decimal, Decimal]:
    """Split ``amount`` into (the given share, the rest), to the cent: both add up exactly."""
    share = to_cents(amount * percent / Decimal(100))
    return share, amount - share

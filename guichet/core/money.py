"""Money: ``Decimal`` with two places, one rounding rule, never a float.

Amounts are rounded to the cent half up (0.005 → 0.01), as Revenu Québec and the Canada
Revenue Agency round taxes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

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


def format_money(amount: Decimal | int | str) -> str:
    """« 1 250,00 $ » in French, « $1,250.00 » in English (the active language)."""
    value = to_cents(amount)
    grouped = f"{abs(value):,.2f}"  # "1,250.00"
    sign = "-" if value < 0 else ""
    if (translation.get_language() or "fr").startswith("fr"):
        return sign + grouped.replace(",", " ").replace(".", ",") + " $"
    return f"{sign}${grouped}"

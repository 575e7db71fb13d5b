"""What a registration will cost, before it is submitted: the review step's figures.

The lines are those the invoice will carry (``billing.services.invoicing.registration_lines``:
the offering at the participant's price, then each option, a named companion on a line of
its own), taxed line by line with billing's own rules (``billing.taxes``), so the review
shows to the cent what the invoice will ask. Nothing is written: no invoice, no number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from guichet.billing import taxes
from guichet.catalog import eligibility
from guichet.catalog.models import Offering, Option, OptionKind
from guichet.core.money import ZERO
from guichet.dossiers.models import Dossier
from guichet.registrations.choices import Choices


@dataclass(frozen=True)
class QuoteLine:
    description: str
    quantity: int
    unit_price: Decimal
    taxed: taxes.TaxedAmount


@dataclass(frozen=True)
class Quote:
    price: eligibility.Price
    lines: list[QuoteLine]

    @property
    def total(self) -> taxes.TaxedAmount:
        return taxes.add_up([line.taxed for line in self.lines])

    @property
    def free(self) -> bool:
        return self.total.total == ZERO


def quote(
    offering: Offering, participant: Dossier, choices: Choices, options: Mapping[int, Option]
) -> Quote:
    """The participant's lines: the offering, then the options chosen (``options``: the
    offering's options by id)."""
    price = eligibility.price_for(offering, participant)
    exempt = offering.tax_exempt
    lines = [_line(offering.title, 1, price.amount, exempt)]
    for pk, quantity in choices.options.items():
        option = options.get(pk)
        if option is None or quantity <= 0:
            continue
        if option.kind == OptionKind.COMPANION:
            lines += [_line(option.name, 1, option.price, exempt) for _ in range(quantity)]
        else:
            lines.append(_line(option.name, quantity, option.price, exempt))
    return Quote(price, lines)


def grand_total(quotes: Iterable[Quote]) -> taxes.TaxedAmount:
    """The sum of every participant's invoice (one invoice per registration)."""
    return taxes.add_up([quote.total for quote in quotes])


def _line(description: str, quantity: int, unit_price: Decimal, exempt: bool) -> QuoteLine:
    return QuoteLine(
        description, quantity, unit_price, taxes.tax_line(quantity, unit_price, exempt=exempt)
    )

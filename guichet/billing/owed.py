"""What a source's invoices say to the person looking at the source (a registration…).

« Montant dû » is read from the invoices (taxes included, less what was paid and
credited), never from the price. A person sees the amounts and statuses of the invoices
they may open (``Invoice.objects.visible_to``); of the others, only who pays them: the
participant registered by their employer learns that the employer is billed, not for how
much. The pages that list sources fetch every source's invoices in one query
(``invoices_prefetch``, through the source's ``GenericRelation``), so the figures cost
nothing per line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from guichet.billing.models import Invoice
from guichet.core.money import ZERO

# Where ``invoices_prefetch`` puts a source's invoices.
PREFETCHED = "invoices_seen"


def invoices_seen_by(account: Any) -> QuerySet[Invoice]:
    """Invoices, oldest first, each annotated ``seen``: may the account open it."""
    seen = Exists(Invoice.objects.visible_to(account).filter(pk=OuterRef("pk")))
    return Invoice.objects.annotate(seen=seen).order_by("id")


def invoices_prefetch(account: Any, relation: str = "invoices") -> Prefetch:
    """For a queryset of sources: their invoices, read in one query. ``relation``: the
    source model's ``GenericRelation`` to ``Invoice``."""
    return Prefetch(relation, queryset=invoices_seen_by(account), to_attr=PREFETCHED)


@dataclass(frozen=True)
class Billed:
    """A source's invoices as one person reads them."""

    invoices: list[Invoice] = field(default_factory=list)  # those the person may open
    payers: list[str] = field(default_factory=list)  # who pays the others

    @property
    def invoiced(self) -> bool:
        return bool(self.invoices or self.payers)

    @property
    def total(self) -> Decimal:
        """What the invoices the person may open charge, taxes included, less credits."""
        return sum((invoice.total - invoice.amount_credited for invoice in self.invoices), ZERO)

    @property
    def owed(self) -> Decimal:
        """Still to pay on the invoices the person may open, taxes included."""
        return sum((max(invoice.balance, ZERO) for invoice in self.invoices), ZERO)

    @property
    def refund_due(self) -> Decimal:
        """What the operator owes back on those invoices (a cancellation, an option removed)."""
        return sum((max(-invoice.balance, ZERO) for invoice in self.invoices), ZERO)

    @property
    def open(self) -> list[Invoice]:
        """The invoices the person may open and pay now."""
        return [invoice for invoice in self.invoices if invoice.balance > ZERO]


def billed(invoices: Iterable[Invoice]) -> Billed:
    """From invoices annotated by ``invoices_seen_by``."""
    result = Billed()
    for invoice in invoices:
        if invoice.seen:
            result.invoices.append(invoice)
        elif invoice.payer_name not in result.payers:
            result.payers.append(invoice.payer_name)
    return result


def billed_for(source: models.Model, account: Any) -> Billed:
    """One source's invoices (its page): one query."""
    return billed(invoices_seen_by(account).for_source(source))

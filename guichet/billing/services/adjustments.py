"""Options changed on an invoiced registration.

An issued invoice is never edited: what was removed is credited on the invoice that
billed it (newest lines first), what was added is billed on a supplementary invoice to
the same payer (card-only options, gala companions, on one of their own), and money paid
beyond what is now owed is refunded (``settlement``). Free options change nothing on the
invoices.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.billing.models import Invoice, InvoiceLine
from guichet.billing.services.invoicing import (
    DraftLine,
    Payer,
    credit_invoice,
    credited_by_line,
    invoice_lines,
    option_draft,
)
from guichet.billing.services.ledger import confirm_if_settled
from guichet.billing.services.settlement import refund_surplus
from guichet.core.money import ZERO


@transaction.atomic
def reinvoice_options(registration: Any, *, actor: Any) -> None:
    invoices = list(Invoice.objects.select_for_update().filter(registration=registration))
    if not invoices:
        return
    credited: dict[int, Decimal] = {}
    for invoice in invoices:
        credited.update(
            {pk: row["amount"] or ZERO for pk, row in credited_by_line(invoice).items()}
        )
    billed_lines: dict[int, list[tuple[InvoiceLine, int]]] = defaultdict(list)
    for line in (
        InvoiceLine.objects.filter(invoice__in=invoices, option__isnull=False, unit_price__gt=0)
        .select_related("invoice")
        .order_by("-invoice_id", "-position", "-id")
    ):
        units = int((line.amount - credited.get(line.pk, ZERO)) / line.unit_price)
        if units > 0:
            billed_lines[line.option_id].append((line, units))
    wanted: dict[int, list[Any]] = defaultdict(list)
    for option_line in registration.option_lines.select_related("option").order_by("id"):
        if option_line.unit_price > 0:
            wanted[option_line.option_id].append(option_line)

    to_credit: dict[int, dict[int, Decimal]] = defaultdict(dict)  # invoice → {line: amount}
    extra: list[DraftLine] = []
    offering = registration.offering
    for option_id in sorted(set(billed_lines) | set(wanted)):
        billed = sum(units for _line, units in billed_lines[option_id])
        chosen = wanted[option_id]
        quantity = sum(line.quantity for line in chosen)
        if quantity < billed:
            need = billed - quantity
            for line, units in billed_lines[option_id]:
                take = min(units, need)
                to_credit[line.invoice_id][line.pk] = line.unit_price * take
                need -= take
                if need == 0:
                    break
        elif quantity > billed:
            _add_lines(extra, chosen, quantity - billed, offering)
    by_id = {invoice.pk: invoice for invoice in invoices}
    for invoice_id, amounts in to_credit.items():
        credit_invoice(by_id[invoice_id], actor=actor, reason=_("Option removed"), only=amounts)
    if extra:
        first = invoices[0]
        invoice_lines(
            registration,
            extra,
            payer=Payer(first.payer_dossier, first.payer_account),
            actor=actor,
            description=_("%(title)s — options added") % {"title": offering.title},
            due_at=first.due_at if registration.status == "pending_payment" else None,
        )
    for invoice in invoices:
        refund_surplus(invoice, actor=actor)
    confirm_if_settled(registration, actor=actor)


def _add_lines(extra: list[DraftLine], chosen: list[Any], count: int, offering: Any) -> None:
    """Bill the last ``count`` units chosen (the newest companions are the added ones)."""
    for option_line in reversed(chosen):
        if count <= 0:
            break
        units = min(count, option_line.quantity)
        extra.append(option_draft(option_line, offering, units))
        count -= units

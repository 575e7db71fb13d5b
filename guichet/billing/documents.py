"""What the billing documents show: « Mes factures et crédits », the invoice, its receipts
and credit notes, and the statement of account.

Everything starts from the scoped querysets (``Invoice.objects.visible_to`` and the
``CreditNote`` / ``Payment`` ones built on it), so a document that is not the person's is
never read. The functions here only read; nothing is written while showing a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import presets
from guichet.billing import sources
from guichet.billing.models import CreditNote, Invoice, Payment
from guichet.billing.taxes import GST_RATE, QST_RATE
from guichet.core.money import ZERO

MONEY = DecimalField(max_digits=14, decimal_places=2)


def invoices_for(account: Any) -> QuerySet[Invoice]:
    """The invoices the account may see, newest first, with their payments and credit notes
    fetched in one query each, however many there are."""
    return (
        Invoice.objects.visible_to(account)
        .select_related("participant")
        .prefetch_related(
            Prefetch("payments", queryset=Payment.objects.order_by("received_on", "id")),
            Prefetch("credit_notes", queryset=CreditNote.objects.order_by("issued_at", "id")),
        )
        .order_by("-issued_at", "-id")
    )


@dataclass(frozen=True)
class Owed:
    """What the account still owes on all its invoices, and what it is owed back."""

    owed: Decimal
    refund_due: Decimal


def owed_by(account: Any) -> Owed:
    """Two sums over the visible invoices, in one query."""
    balance = F("total") - F("amount_credited") - F("amount_paid")
    received = F("amount_credited") + F("amount_paid")
    sums = Invoice.objects.visible_to(account).aggregate(
        owed=Coalesce(Sum(balance, filter=Q(total__gt=received)), Value(ZERO), output_field=MONEY),
        back=Coalesce(Sum(-balance, filter=Q(total__lt=received)), Value(ZERO), output_field=MONEY),
    )
    return Owed(owed=sums["owed"], refund_due=sums["back"])


def for_whom(invoice: Invoice) -> str:
    """« Natation — Léa Tremblay »: what the invoice is for, and for whom."""
    what = invoice.description
    who = invoice.participant.display_name if invoice.participant_id else ""
    if what and who:
        return f"{what} — {who}"
    return what or who


def operator_billing() -> Any:
    """The operator's legal name, address and tax numbers (``BillingInfo``), or None."""
    return presets.active().billing


def tax_rates() -> dict[str, Decimal]:
    """Percentages as printed: 5 and 9.975."""
    return {"gst": GST_RATE * 100, "qst": QST_RATE * 100}


def invoice_context(invoice: Invoice, account: Any = None) -> dict[str, Any]:
    """The invoice page and its PDF: lines, taxes, money received, credit notes, and what
    it was issued for (``sources``: linked for ``account``; the PDF passes none)."""
    payments = list(invoice.payments.order_by("received_on", "id"))
    for payment in payments:
        payment.effect = -payment.amount  # on the balance: a refund adds to it
    return {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "payments": payments,
        "credit_notes": list(invoice.credit_notes.order_by("issued_at", "id")),
        "for_whom": for_whom(invoice),
        "source": sources.describe(invoice, account),
        "billing": operator_billing(),
        "rates": tax_rates(),
    }


def other_invoices(invoice: Invoice, account: Any) -> list[Invoice]:
    """The other invoices of the same source that the account may open: a registration's
    gala companions' (card only) beside the participant's fee, or invoices for options
    added."""
    return list(
        Invoice.objects.visible_to(account)
        .same_source(invoice)
        .exclude(pk=invoice.pk)
        .order_by("id")
    )


def credit_note_context(note: CreditNote) -> dict[str, Any]:
    invoice = note.invoice
    return {
        "note": note,
        "invoice": invoice,
        "lines": list(note.lines.all()),
        "billing": operator_billing(),
        "rates": tax_rates(),
    }


def receipt_context(payment: Payment) -> dict[str, Any]:
    """A receipt states what was received and what is still owed once it was counted."""
    invoice = payment.invoice
    before_or_with = (
        Payment.objects.filter(invoice=invoice)
        .filter(_recorded_up_to(payment))
        .aggregate(paid=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))["paid"]
    )
    credited = CreditNote.objects.filter(
        invoice=invoice, issued_at__lte=payment.recorded_at
    ).aggregate(credited=Coalesce(Sum("total"), Value(ZERO), output_field=MONEY))["credited"]
    return {
        "payment": payment,
        "invoice": invoice,
        "remaining": invoice.total - credited - before_or_with,
        "billing": operator_billing(),
    }


def _recorded_up_to(payment: Payment) -> Q:
    return Q(recorded_at__lt=payment.recorded_at) | Q(
        recorded_at=payment.recorded_at, pk__lte=payment.pk
    )


# --- Statement of account --------------------------------------------------------------


class EntryKind:
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"
    REFUND = "refund"


@dataclass
class Entry:
    """One line of the statement. ``amount`` moves the balance: an invoice and a refund
    add to what is owed; a payment and a credit note take from it."""

    day: date
    kind: str
    label: str
    number: str
    amount: Decimal
    url: str = ""
    pdf_url: str = ""
    balance: Decimal = ZERO
    order: tuple[Any, ...] = ()


@dataclass
class Statement:
    start: date
    end: date
    opening: Decimal
    entries: list[Entry] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.entries[-1].balance if self.entries else self.opening

    @property
    def charged(self) -> Decimal:
        return sum((e.amount for e in self.entries if e.amount > ZERO), ZERO)

    @property
    def received(self) -> Decimal:
        return -sum((e.amount for e in self.entries if e.amount < ZERO), ZERO)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The current year, in Montreal."""
    today = today or timezone.localdate()
    return date(today.year, 1, 1), date(today.year, 12, 31)


def statement_for(account: Any, start: date, end: date) -> Statement:
    """Every invoice, credit note, payment and refund of the account's invoices between
    ``start`` and ``end`` (Montreal dates, both included), in date order, with the
    balance carried from before ``start``. Six queries, whatever the number of rows."""
    invoices = Invoice.objects.visible_to(account)
    notes = CreditNote.objects.visible_to(account)
    payments = Payment.objects.visible_to(account)

    def total(queryset: QuerySet[Any], column: str) -> Decimal:
        return queryset.aggregate(s=Coalesce(Sum(column), Value(ZERO), output_field=MONEY))["s"]

    opening = (
        total(invoices.filter(issued_at__date__lt=start), "total")
        - total(notes.filter(issued_at__date__lt=start), "total")
        - total(payments.filter(received_on__lt=start), "amount")
    )
    entries: list[Entry] = []
    for invoice in invoices.filter(issued_at__date__range=(start, end)).select_related(
        "participant"
    ):
        day = timezone.localdate(invoice.issued_at)
        entries.append(
            Entry(
                day=day,
                kind=EntryKind.INVOICE,
                label=_("Invoice — %(what)s") % {"what": for_whom(invoice)},
                number=invoice.number,
                amount=invoice.total,
                url=reverse("billing:invoice", args=[invoice.pk]),
                pdf_url=reverse("billing:invoice_pdf", args=[invoice.pk]),
                order=(day, 0, invoice.issued_at, invoice.pk),
            )
        )
    for note in notes.filter(issued_at__date__range=(start, end)).select_related("invoice"):
        day = timezone.localdate(note.issued_at)
        entries.append(
            Entry(
                day=day,
                kind=EntryKind.CREDIT_NOTE,
                label=_("Credit note on invoice %(number)s") % {"number": note.invoice.number},
                number=note.number,
                amount=-note.total,
                url=reverse("billing:invoice", args=[note.invoice_id]),
                pdf_url=reverse("billing:credit_note_pdf", args=[note.pk]),
                order=(day, 1, note.issued_at, note.pk),
            )
        )
    for payment in payments.filter(received_on__range=(start, end)).select_related("invoice"):
        refund = payment.amount < ZERO
        values = {"number": payment.invoice.number, "method": payment.get_method_display()}
        entries.append(
            Entry(
                day=payment.received_on,
                kind=EntryKind.REFUND if refund else EntryKind.PAYMENT,
                label=(
                    _("Refund on invoice %(number)s (%(method)s)")
                    if refund
                    else _("Payment of invoice %(number)s (%(method)s)")
                )
                % values,
                number=payment.receipt_number or "",
                amount=-payment.amount,
                url=reverse("billing:invoice", args=[payment.invoice_id]),
                pdf_url=(
                    reverse("billing:receipt_pdf", args=[payment.pk])
                    if payment.receipt_number
                    else ""
                ),
                order=(payment.received_on, 2, payment.recorded_at, payment.pk),
            )
        )
    entries.sort(key=lambda e: e.order)
    running = opening
    for entry in entries:
        running += entry.amount
        entry.balance = running
    return Statement(start=start, end=end, opening=opening, entries=entries)

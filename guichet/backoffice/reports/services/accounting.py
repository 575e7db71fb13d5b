"""Accounting for a period (role Comptabilité): the totals of invoices, credit notes,
payments and refunds with their GST and QST, the figures of the period's tax returns, and
the rows of each export, read from the database in chunks (``iterator``) so that an
export of any size holds only one chunk in memory. Every cell goes through
``backoffice.spreadsheets.cell`` (a payer's name that a spreadsheet would run as a formula
is written with a leading apostrophe).

A period is in Montreal dates, both days included: an invoice or a credit note counts on
the day it was issued, a payment or a refund on the day it was received.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from guichet.backoffice import spreadsheets
from guichet.billing.models import CreditNote, Invoice, Payment, PaymentMethod
from guichet.core.money import ZERO

MONTREAL = ZoneInfo("America/Montreal")
CHUNK = 2000  # rows fetched from the database at a time, and written at a time


class Kind(StrEnum):
    INVOICES = "factures"
    CREDIT_NOTES = "notes-de-credit"
    PAYMENTS = "paiements"


def invoices_in(start: date, end: date) -> QuerySet[Invoice]:
    return Invoice.objects.filter(issued_at__date__gte=start, issued_at__date__lte=end)


def credit_notes_in(start: date, end: date) -> QuerySet[CreditNote]:
    return CreditNote.objects.filter(issued_at__date__gte=start, issued_at__date__lte=end)


def payments_in(start: date, end: date) -> QuerySet[Payment]:
    return Payment.objects.filter(received_on__gte=start, received_on__lte=end)


@dataclass(frozen=True)
class Sums:
    count: int
    subtotal: Decimal
    gst: Decimal
    qst: Decimal
    total: Decimal


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    invoices: Sums
    credit_notes: Sums
    payments: Decimal
    payments_count: int
    refunds: Decimal  # positive: what was given back
    refunds_count: int

    @property
    def sales(self) -> Decimal:
        """Sales and other revenue, before taxes, net of credit notes."""
        return self.invoices.subtotal - self.credit_notes.subtotal

    @property
    def gst(self) -> Decimal:
        """GST to report: collected on invoices less given back on credit notes."""
        return self.invoices.gst - self.credit_notes.gst

    @property
    def qst(self) -> Decimal:
        return self.invoices.qst - self.credit_notes.qst

    @property
    def received(self) -> Decimal:
        return self.payments - self.refunds


def _sums(queryset: QuerySet[Any]) -> Sums:
    def zero(field: str) -> Coalesce:
        return Coalesce(Sum(field), Value(ZERO))

    found = queryset.aggregate(
        count=Count("id"),
        subtotal=zero("subtotal"),
        gst=zero("gst"),
        qst=zero("qst"),
        total=zero("total"),
    )
    return Sums(**found)


def period(start: date, end: date) -> Period:
    """The period's totals: three aggregates."""
    payments = payments_in(start, end).aggregate(
        received=Coalesce(Sum("amount", filter=Q(amount__gt=0)), Value(ZERO)),
        received_count=Count("id", filter=Q(amount__gt=0)),
        refunded=Coalesce(Sum("amount", filter=Q(amount__lt=0)), Value(ZERO)),
        refunded_count=Count("id", filter=Q(amount__lt=0)),
    )
    return Period(
        start=start,
        end=end,
        invoices=_sums(invoices_in(start, end)),
        credit_notes=_sums(credit_notes_in(start, end)),
        payments=payments["received"],
        payments_count=payments["received_count"],
        refunds=-payments["refunded"],
        refunds_count=payments["refunded_count"],
    )


# The exports' rows -----------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """An export: its file name, its header and its rows (an iterator over the database)."""

    name: str
    header: list[str]
    rows: Iterable[Sequence[Any]]


def table(kind: Kind, start: date, end: date) -> Table:
    """The rows of one export, oldest first. The header is translated now, in the
    request's language; the rows are read later, as the response is sent."""
    name = f"{kind.value}-{start.isoformat()}-{end.isoformat()}"
    if kind is Kind.INVOICES:
        header = [
            _("Invoice number"),
            _("Issued on"),
            _("Billed to"),
            _("Description"),
            _("Subtotal"),
            _("GST"),
            _("QST"),
            _("Total"),
            _("Amount credited"),
            _("Amount paid"),
        ]
        invoices = (
            invoices_in(start, end)
            .order_by("issued_at", "pk")
            .values_list(
                "number",
                "issued_at",
                "payer_name",
                "description",
                "subtotal",
                "gst",
                "qst",
                "total",
                "amount_credited",
                "amount_paid",
            )
        )
        return Table(name, header, _with_local_dates(invoices.iterator(chunk_size=CHUNK)))
    if kind is Kind.CREDIT_NOTES:
        header = [
            _("Credit note number"),
            _("Issued on"),
            _("Invoice number"),
            _("Billed to"),
            _("Reason"),
            _("Subtotal"),
            _("GST"),
            _("QST"),
            _("Total"),
        ]
        notes = (
            credit_notes_in(start, end)
            .order_by("issued_at", "pk")
            .values_list(
                "number",
                "issued_at",
                "invoice__number",
                "invoice__payer_name",
                "reason",
                "subtotal",
                "gst",
                "qst",
                "total",
            )
        )
        return Table(name, header, _with_local_dates(notes.iterator(chunk_size=CHUNK)))
    header = [
        _("Receipt number"),
        _("Received on"),
        pgettext("accounting export", "Movement"),
        pgettext("payment", "Method"),
        _("Invoice number"),
        _("Billed to"),
        _("Reference"),
        _("Amount"),
    ]
    methods = {value: str(label) for value, label in PaymentMethod.choices}
    words = {True: str(_("Payment")), False: str(_("Refund"))}
    payments = (
        payments_in(start, end)
        .order_by("received_on", "pk")
        .values_list(
            "receipt_number",
            "received_on",
            "method",
            "invoice__number",
            "invoice__payer_name",
            "reference",
            "amount",
        )
    )
    return Table(
        name,
        header,
        (
            (receipt or "", day, words[amount > 0], methods.get(method, method), *rest, amount)
            for receipt, day, method, *rest, amount in payments.iterator(chunk_size=CHUNK)
        ),
    )


def _with_local_dates(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The second column (a moment) as its Montreal date."""
    for number, moment, *rest in rows:
        yield (number, moment.astimezone(MONTREAL).date(), *rest)


# Writers -------------------------------------------------------------------------------
def csv_chunks(export: Table) -> Iterator[str]:
    """CSV in UTF-8 with a byte-order mark (Excel reads the accents), comma-separated,
    amounts with a dot and ISO dates (what accounting software imports), CHUNK rows at a
    time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(spreadsheets.row(export.header))
    for count, row in enumerate(export.rows, start=1):
        writer.writerow(spreadsheets.row(row))
        if count % CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(export: Table) -> IO[bytes]:
    """The workbook written by openpyxl's write-only mode (rows go to a temporary file as
    they come: constant memory), in an anonymous temporary file rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=export.name[:31])
    sheet.append(spreadsheets.row(export.header))
    for row in export.rows:
        sheet.append(spreadsheets.row(row))
    spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 — closed by the response
    workbook.save(spool)
    spool.seek(0)
    return spool

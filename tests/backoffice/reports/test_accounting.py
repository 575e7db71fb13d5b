"""Accounting exports (role Comptabilité): a period's invoices, credit notes, payments and
refunds with GST and QST, in CSV and XLSX, streamed; the tax-return figures; the totals of
the exports equal the invoices' to the cent."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from guichet.audit.models import AuditEvent
from guichet.billing.models import CreditNote, Invoice, Payment, PaymentMethod
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from guichet.core.roles import Role
from tests.billing.cast import holder, plain_invoice
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

MONTREAL = ZoneInfo("America/Montreal")
PAGE = reverse("backoffice:accounting")
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


def at(*args: int):
    return time_machine.travel(datetime.datetime(*args, tzinfo=MONTREAL), tick=False)


@pytest.fixture
def march(staff_with):
    """March 2026: three invoices (one tax-exempt), a credit note, payments and a refund;
    one invoice on 28 February and one at 23:30 on 31 March (April in UTC)."""
    clerk = staff_with(Role.ACCOUNTING)
    account, dossier = holder()
    with at(2026, 2, 28, 12):
        plain_invoice(account, dossier, "999.00")  # before the period
    with at(2026, 3, 2, 9):
        first = plain_invoice(account, dossier, "100.00")  # 114,98 $
    with at(2026, 3, 10, 9):
        second = plain_invoice(account, dossier, "33.33")  # 1,67 + 3,32 → 38,32 $
    with at(2026, 3, 31, 23, 30):
        plain_invoice(account, dossier, "0.05")  # 0,05 + 0,00 + 0,00 → 0,05 $
    with at(2026, 3, 15, 9):
        note = credit_invoice(second, actor=clerk, reason="Erreur")
    record_payment(
        first,
        amount=Decimal("114.98"),
        method=PaymentMethod.CHEQUE,
        actor=clerk,
        received_on=datetime.date(2026, 3, 20),
        reference="0157",
    )
    record_payment(
        first,
        amount=Decimal("-14.98"),
        method=PaymentMethod.CHEQUE,
        actor=clerk,
        received_on=datetime.date(2026, 3, 25),
    )
    return {"clerk": clerk, "first": first, "second": second, "note": note}


def _invoices_of_march():
    return Invoice.objects.filter(
        issued_at__gte=datetime.datetime(2026, 3, 1, tzinfo=MONTREAL),
        issued_at__lt=datetime.datetime(2026, 4, 1, tzinfo=MONTREAL),
    )


def _csv(client, kind: str) -> list[list[str]]:
    response = client.get(reverse("backoffice:accounting_export", args=[kind, "csv"]), PERIOD)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{kind}-2026-03-01-2026-03-31.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_totals_match_the_invoices_to_the_cent(client, march):
    client.force_login(march["clerk"])
    header, *rows = _csv(client, "factures")
    assert header[:8] == [
        "Numéro de facture",
        "Date d'émission",
        "Facturé à",
        "Description",
        "Sous-total",
        "TPS",
        "TVQ",
        "Total",
    ]
    invoices = list(_invoices_of_march().order_by("issued_at"))
    assert [row[0] for row in rows] == [invoice.number for invoice in invoices]
    assert rows[-1][1] == "2026-03-31"  # 23:30 in Montreal is still March
    for column, field in ((4, "subtotal"), (5, "gst"), (6, "qst"), (7, "total")):
        assert sum(Decimal(row[column]) for row in rows) == sum(
            getattr(invoice, field) for invoice in invoices
        )
    assert sum(Decimal(row[7]) for row in rows) == Decimal("153.35")

    header, *notes = _csv(client, "notes-de-credit")
    assert notes == [
        [
            march["note"].number,
            "2026-03-15",
            march["second"].number,
            march["second"].payer_name,
            "Erreur",
            "33.33",
            "1.67",
            "3.32",
            "38.32",
        ]
    ]
    header, *payments = _csv(client, "paiements")
    assert [(row[2], row[3], row[-1]) for row in payments] == [
        ("Paiement", "Chèque", "114.98"),
        ("Remboursement", "Chèque", "-14.98"),
    ]


def test_the_xlsx_export_holds_the_same_rows(client, march):
    client.force_login(march["clerk"])
    response = client.get(
        reverse("backoffice:accounting_export", args=["factures", "xlsx"]), PERIOD
    )
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = list(workbook.active.iter_rows(values_only=True))
    assert header[0] == "Numéro de facture"
    assert sum(Decimal(str(row[7])) for row in rows) == sum(
        invoice.total for invoice in _invoices_of_march()
    )
    assert rows[0][1].date() == datetime.date(2026, 3, 2)


def test_the_page_gives_the_period_totals_and_the_tax_figures(client, march):
    client.force_login(march["clerk"])
    html = " ".join(text_of(client.get(PAGE, PERIOD)).split())
    # Invoices 100 + 33,33 + 0,05; GST 5,00 + 1,67; QST 9,98 + 3,32; less the credit note.
    assert 'data-total="invoices">153,35' in html
    assert 'data-total="credit_notes">38,32' in html
    assert 'data-total="payments">114,98' in html
    assert 'data-total="refunds">14,98' in html
    assert 'data-figure="sales">100,05' in html
    assert 'data-figure="gst">5,00' in html
    assert 'data-figure="qst">9,98' in html


def test_exports_are_audited_with_the_role(client, march):
    client.force_login(march["clerk"])
    _csv(client, "paiements")
    event = AuditEvent.objects.get(action="backoffice.accounting_exported")
    assert event.actor == march["clerk"]
    assert event.data["role"] == "accounting"
    assert event.data["export"] == "paiements"


def test_bad_dates_are_explained_and_kept(client, staff_with):
    client.force_login(staff_with(Role.ACCOUNTING))
    response = client.get(PAGE, {"start": "2026-03-31", "end": "2026-03-01"})
    assert response.status_code == 400
    html = text_of(response)
    assert "La fin de la période doit suivre son début." in html
    assert 'value="2026-03-31"' in html
    response = client.get(
        reverse("backoffice:accounting_export", args=["factures", "csv"]), {"start": "n'importe"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.COUNTER, Role.ANIMATION, Role.PRIVACY])
def test_other_roles_get_a_404(client, staff_with, role):
    client.force_login(staff_with(role))
    assert client.get(PAGE).status_code == 404
    url = reverse("backoffice:accounting_export", args=["factures", "csv"])
    assert client.get(url, PERIOD).status_code == 404


def test_an_unknown_export_is_a_404(client, staff_with):
    client.force_login(staff_with(Role.ACCOUNTING))
    url = reverse("backoffice:accounting_export", args=["comptes", "csv"])
    assert client.get(url, PERIOD).status_code == 404
    url = reverse("backoffice:accounting_export", args=["factures", "pdf"])
    assert client.get(url, PERIOD).status_code == 404


def test_the_page_reads_the_same_queries_for_any_period(
    client, march, django_assert_max_num_queries
):
    client.force_login(march["clerk"])
    with django_assert_max_num_queries(12):
        client.get(PAGE, PERIOD)
    assert CreditNote.objects.count() == 1 and Payment.objects.count() == 2

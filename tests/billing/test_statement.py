"""The statement of account: a period (the current year by default), the balance carried
in, every invoice, credit note, payment and refund in date order with a running balance,
and the closing balance. Dates are Montreal dates."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from guichet.billing import documents
from guichet.billing.models import PaymentMethod
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from tests.billing.cast import holder, plain_invoice
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

MONTREAL = ZoneInfo("America/Montreal")
PAGE = reverse("billing:statement")


def at(*args: int):
    return time_machine.travel(datetime.datetime(*args, tzinfo=MONTREAL), tick=False)


@pytest.fixture
def history(staff):
    account, dossier = holder()
    with at(2025, 11, 15, 10):
        before = plain_invoice(account, dossier, "100.00")  # 114,98 $, carried in
    record_payment(
        before,
        amount=Decimal("50.00"),
        method=PaymentMethod.CHEQUE,
        actor=staff,
        received_on=datetime.date(2026, 1, 10),
    )
    with at(2026, 2, 1, 9):
        small = plain_invoice(account, dossier, "10.00")  # 11,50 $
    with at(2026, 3, 9, 9):  # the day after the spring daylight-saving change
        note = credit_invoice(small, actor=staff, reason="Erreur")
    refund = record_payment(
        before,
        amount=Decimal("-10.00"),
        method=PaymentMethod.CHEQUE,
        actor=staff,
        received_on=datetime.date(2026, 4, 1),
    )
    with at(2026, 12, 31, 23, 30):  # already 2027 in UTC: still a 2026 invoice
        late = plain_invoice(account, dossier, "20.00")  # 23,00 $
    with at(2027, 1, 1, 10):
        next_year = plain_invoice(account, dossier, "10.00")
    return {
        "account": account,
        "before": before,
        "small": small,
        "note": note,
        "refund": refund,
        "late": late,
        "next_year": next_year,
    }


def test_the_statement_carries_the_balance_and_runs_it_in_date_order(history):
    statement = documents.statement_for(
        history["account"], datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    )
    assert statement.opening == Decimal("114.98")
    assert [(e.day, e.kind, e.amount, e.balance) for e in statement.entries] == [
        (datetime.date(2026, 1, 10), "payment", Decimal("-50.00"), Decimal("64.98")),
        (datetime.date(2026, 2, 1), "invoice", Decimal("11.50"), Decimal("76.48")),
        (datetime.date(2026, 3, 9), "credit_note", Decimal("-11.50"), Decimal("64.98")),
        (datetime.date(2026, 4, 1), "refund", Decimal("10.00"), Decimal("74.98")),
        (datetime.date(2026, 12, 31), "invoice", Decimal("23.00"), Decimal("97.98")),
    ]
    assert statement.closing == Decimal("97.98")
    # The closing balance is what the invoices still owe at the end of the period.
    for key in ("before", "small", "late"):
        history[key].refresh_from_db()
    owed = sum((history[k].balance for k in ("before", "small", "late")), Decimal("0"))
    assert owed == statement.closing


def test_the_page_shows_the_period_asked_for(client, history):
    client.force_login(history["account"])
    response = client.get(PAGE, {"start": "2026-01-01", "end": "2026-12-31"})
    assert response.status_code == 200
    html = text_of(response)
    assert "<h1>Relevé de compte</h1>" in html
    assert 'aria-current="page"' in html  # « Mes factures et crédits » in the menu
    assert "Solde d'ouverture" in html and "114,98 $" in html
    order = [
        history["small"].number,
        history["note"].number,
        "Remboursement sur la facture",
        history["late"].number,
        "Solde de clôture",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert "97,98 $" in html
    assert history["next_year"].number not in html
    pdf = reverse("billing:statement_pdf") + "?start=2026-01-01&amp;end=2026-12-31"
    assert pdf in response.content.decode()


def test_the_current_year_is_the_default_period(client, history):
    with at(2027, 3, 1, 12):
        client.force_login(history["account"])
        html = text_of(client.get(PAGE))
    assert 'value="2027-01-01"' in html and 'value="2027-12-31"' in html
    assert history["next_year"].number in html
    assert history["small"].number not in html
    assert "97,98 $" in html  # carried in from 2026


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13-01", "end": "2026-12-31"}, "Cette date n'existe pas"),
        ({"start": "2026-06-01", "end": "2026-01-01"}, "La fin de la période doit suivre"),
        ({"start": "", "end": "2026-12-31"}, "Ce champ est obligatoire."),
    ],
)
def test_bad_dates_are_explained_beside_the_field_and_kept(client, account, query, message):
    client.force_login(account)
    response = client.get(PAGE, query)
    assert response.status_code == 200  # a form error, never a 400
    html = text_of(response)
    assert message in html
    assert f'value="{query["end"]}"' in html
    assert "Solde d'ouverture" not in html


def test_the_statement_reads_the_same_few_queries_for_any_history(
    client, history, django_assert_max_num_queries
):
    client.force_login(history["account"])
    query = {"start": "2025-01-01", "end": "2027-12-31"}
    client.get(PAGE, query)
    with django_assert_max_num_queries(12):
        assert client.get(PAGE, query).status_code == 200


def test_the_statement_pdf_refuses_bad_dates_with_the_same_explanation(client, account):
    client.force_login(account)
    response = client.get(reverse("billing:statement_pdf"), {"start": "hier", "end": ""})
    assert response.status_code == 200
    assert "Écrivez la date sous la forme AAAA-MM-JJ ou JJ/MM/AAAA" in text_of(response)

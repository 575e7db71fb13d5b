"""« Mes factures et crédits »: the history of the person's invoices with their balance and
status, their credit notes and receipts, the total owed, newest first, by pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from guichet.billing.models import PaymentMethod
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from tests.billing.cast import child_of, holder, invoiced, plain_invoice
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

PAGE = reverse("dossiers:invoices")


def test_the_section_lists_the_invoice_with_its_balance_status_and_documents(client, staff):
    guardian, _ = holder()
    child = child_of(guardian, first_name="Léa", last_name="Tremblay")
    _registration, invoice = invoiced(
        guardian, child, title="Natation junior", non_member_price=Decimal("100.00")
    )
    payment = record_payment(
        invoice, amount=Decimal("40.00"), method=PaymentMethod.INTERAC, actor=staff
    )
    client.force_login(guardian)

    html = text_of(client.get(PAGE))

    assert "<h1>Mes factures et crédits</h1>" in html
    assert f"Facture {invoice.number}" in html
    assert "Natation junior — Léa Tremblay" in html
    assert "114,98 $" in html and "74,98 $" in html  # total, balance
    assert "Partiellement payée" in html
    assert reverse("billing:invoice", args=[invoice.pk]) in html
    assert f'href="{reverse("billing:invoice_pdf", args=[invoice.pk])}"' in html
    assert f"Reçu {payment.receipt_number}" in html
    assert reverse("billing:receipt_pdf", args=[payment.pk]) in html
    assert ">Voir</a>" in html
    assert "Solde total à payer : <strong>74,98 $</strong>" in html
    assert reverse("billing:statement") in html


def test_each_status_reads_in_french(client, staff):
    account, dossier = holder()
    unpaid = plain_invoice(account, dossier, "10.00")
    paid = plain_invoice(account, dossier, "10.00")
    record_payment(paid, amount=paid.total, method=PaymentMethod.CHEQUE, actor=staff)
    credited = plain_invoice(account, dossier, "10.00")
    credit_invoice(credited, actor=staff, reason="Erreur")
    refund_due = plain_invoice(account, dossier, "10.00")
    record_payment(refund_due, amount=refund_due.total, method=PaymentMethod.CHEQUE, actor=staff)
    credit_invoice(refund_due, actor=staff, reason="Annulation")
    client.force_login(account)

    html = text_of(client.get(PAGE))

    for label in ("Impayée", "Payée", "Créditée", "Remboursement à faire"):
        assert f"<strong>{label}</strong>" in html
    assert unpaid.number in html
    # 11,50 $ owed on the unpaid one; 11,50 $ to give back on the last.
    assert "Solde total à payer : <strong>11,50 $</strong>" in html
    assert "À vous rembourser : <strong>11,50 $</strong>" in html
    credit_note = credited.credit_notes.get()
    assert f"Note de crédit {credit_note.number}" in html
    assert reverse("billing:credit_note_pdf", args=[credit_note.pk]) in html


def test_newest_first_and_paginated(client):
    account, dossier = holder()
    start = datetime.datetime(2026, 3, 1, 15, 0, tzinfo=datetime.UTC)
    invoices = []
    for day in range(21):
        with time_machine.travel(start + datetime.timedelta(days=day), tick=False):
            invoices.append(plain_invoice(account, dossier, "10.00"))
    client.force_login(account)

    first = text_of(client.get(PAGE))
    assert first.index(invoices[-1].number) < first.index(invoices[-2].number)
    assert invoices[0].number not in first
    assert "Page 1 sur 2" in first

    second = text_of(client.get(PAGE, {"page": 2}))
    assert invoices[0].number in second and invoices[-1].number not in second


def test_a_guardian_sees_the_household_invoices_the_second_guardian_does_not(client):
    first, _ = holder()
    second, _ = holder()
    child = child_of(first, second)
    _registration, invoice = invoiced(first, child)

    client.force_login(first)
    assert invoice.number in text_of(client.get(PAGE))
    client.force_login(second)
    html = text_of(client.get(PAGE))
    assert invoice.number not in html
    assert "Aucune facture ni crédit pour l'instant." in html


def test_a_delegate_sees_the_invoices_it_caused(client, settings):
    from guichet.dossiers.services.delegation import grant_delegation
    from tests.factories import AccountFactory

    staff = AccountFactory(is_staff=True)
    delegate, _ = holder()
    grant_delegation(delegate, starts_on=datetime.date(2020, 1, 1), ends_on=None, actor=staff)
    _member, member_dossier = holder()
    _registration, invoice = invoiced(delegate, member_dossier)
    assert invoice.caused_by == delegate

    client.force_login(delegate)
    assert invoice.number in text_of(client.get(PAGE))


@pytest.mark.parametrize("count", [1, 20])
def test_query_count_does_not_grow_with_the_invoices(
    client, staff, count, django_assert_max_num_queries
):
    account, dossier = holder()
    for _ in range(count):
        invoice = plain_invoice(account, dossier, "10.00")
        record_payment(invoice, amount=Decimal("5.00"), method=PaymentMethod.CHEQUE, actor=staff)
        credit_invoice(invoice, actor=staff, reason="Geste commercial", keep=Decimal("8.00"))
    client.force_login(account)
    client.get(PAGE)
    # session, account, allauth, held dossier, count, page, payments, credit notes, sums
    with django_assert_max_num_queries(10):
        response = client.get(PAGE)
    assert response.status_code == 200
    assert text_of(response).count(">Voir</a>") == min(count, 20) * 3

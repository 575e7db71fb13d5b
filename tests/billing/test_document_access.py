"""Every document URL answers 404 to anyone but the people who may see the invoice, and
sends a signed-out visitor to sign in."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.billing.models import PaymentMethod
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from guichet.dossiers.services.delegation import grant_delegation
from tests.billing.cast import child_of, holder, invoiced
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(staff):
    """A guardian registered a child (a second guardian did not); the invoice is partly
    paid, partly credited, and has a refund."""
    first, _ = holder()
    second, _ = holder()
    child = child_of(first, second)
    _registration, invoice = invoiced(first, child, non_member_price=Decimal("100.00"))
    payment = record_payment(invoice, amount=Decimal("60.00"), method="cheque", actor=staff)
    note = credit_invoice(invoice, actor=staff, reason="Annulation", keep=Decimal("10.00"))
    invoice.refresh_from_db()
    refund = record_payment(
        invoice, amount=invoice.balance, method=PaymentMethod.CHEQUE, actor=staff
    )
    return {
        "first": first,
        "second": second,
        "invoice": invoice,
        "payment": payment,
        "note": note,
        "refund": refund,
    }


def urls(docs) -> list[str]:
    return [
        reverse("billing:invoice", args=[docs["invoice"].pk]),
        reverse("billing:invoice_pdf", args=[docs["invoice"].pk]),
        reverse("billing:receipt_pdf", args=[docs["payment"].pk]),
        reverse("billing:credit_note_pdf", args=[docs["note"].pk]),
    ]


@pytest.fixture
def delegate(staff):
    """A delegate who registered someone else: it sees that invoice, not this one."""
    account, _ = holder()
    grant_delegation(account, starts_on=datetime.date(2020, 1, 1), ends_on=None, actor=staff)
    _member, member_dossier = holder()
    _registration, own = invoiced(account, member_dossier)
    assert own.caused_by == account
    return account


def test_the_guardian_who_registered_opens_every_document(client, household):
    client.force_login(household["first"])
    for url in urls(household):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("index", range(4))
def test_an_outsider_gets_404(client, outsider, household, index):
    client.force_login(outsider)
    assert client.get(urls(household)[index]).status_code == 404


@pytest.mark.parametrize("index", range(4))
def test_the_second_guardian_gets_404(client, household, index):
    client.force_login(household["second"])
    assert client.get(urls(household)[index]).status_code == 404


@pytest.mark.parametrize("index", range(4))
def test_a_delegate_gets_404_for_an_invoice_it_did_not_cause(client, delegate, household, index):
    client.force_login(delegate)
    assert client.get(urls(household)[index]).status_code == 404


@pytest.mark.parametrize("index", range(4))
def test_a_signed_out_visitor_is_sent_to_sign_in(client, household, index):
    response = client.get(urls(household)[index])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name", ["billing:statement", "billing:statement_pdf", "dossiers:invoices"]
)
def test_lists_send_a_signed_out_visitor_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_refund_has_no_receipt(client, household):
    client.force_login(household["first"])
    url = reverse("billing:receipt_pdf", args=[household["refund"].pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["second", "outsider", "delegate"])
def test_others_statements_and_lists_never_show_the_invoice(
    client, household, outsider, delegate, who
):
    account = {"second": household["second"], "outsider": outsider, "delegate": delegate}[who]
    client.force_login(account)
    number = household["invoice"].number
    assert number not in text_of(client.get(reverse("billing:statement")))
    assert number not in text_of(client.get(reverse("dossiers:invoices")))

"""Changing the options of an invoiced registration: credit what is removed, bill what is
added on a supplementary invoice, refund what was overpaid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.billing.models import Invoice
from guichet.billing.services.ledger import record_payment
from guichet.registrations.services.billing import option_of
from guichet.registrations.services.changes import modify
from tests.billing.cast import holder, invoiced
from tests.catalog.factories import OfferingFactory, OptionFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def gala_registration():
    offering = OfferingFactory(non_member_price=D("100.00"), tax_exempt=True)
    gala = OptionFactory(offering=offering, name="Soirée gala", price=D("40.00"))
    gala.max_per_registration = 3
    gala.save()
    account, dossier = holder()
    registration, invoice = invoiced(account, dossier, offering, options={gala.pk: 2})
    assert invoice.total == D("180.00")
    return account, registration, invoice, gala


def test_removing_an_option_credits_it_on_the_invoice(gala_registration):
    account, registration, invoice, gala = gala_registration
    modify(registration, {gala.pk: 1}, {}, actor=account)
    invoice.refresh_from_db()
    note = invoice.credit_notes.get()
    assert note.total == D("40.00") and invoice.balance == D("140.00")
    assert invoice.due_at is not None  # still payable, still expires unpaid


def test_adding_an_option_bills_a_supplementary_invoice_to_the_same_payer(gala_registration):
    account, registration, invoice, gala = gala_registration
    modify(registration, {gala.pk: 3}, {}, actor=account)
    added = Invoice.objects.filter(registration=registration).exclude(pk=invoice.pk).get()
    assert added.total == D("40.00") and added.payer_account == invoice.payer_account
    assert option_of(added.lines.get()) == gala.pk
    assert not invoice.credit_notes.exists()


def test_removing_a_paid_option_leaves_a_refund_due_and_keeps_the_registration(
    gala_registration,
):
    account, registration, invoice, gala = gala_registration
    record_payment(invoice, amount=invoice.total, method="cheque")
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    modify(registration, {}, {}, actor=account)
    invoice.refresh_from_db()
    assert invoice.balance == D("-80.00") and invoice.status == "refund_due"


def test_answers_only_change_nothing_on_the_invoices(gala_registration):
    account, registration, invoice, gala = gala_registration
    modify(registration, {gala.pk: 2}, {"allergies": "arachides"}, actor=account)
    assert Invoice.objects.filter(registration=registration).count() == 1
    assert not invoice.credit_notes.exists()

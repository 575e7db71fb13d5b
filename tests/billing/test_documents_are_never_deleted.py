"""Invoices, credit notes and payments are kept: deleting one (or its registration) fails."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from guichet.billing.models import Invoice, Payment
from guichet.billing.services.ledger import record_payment
from guichet.registrations.models import Registration
from tests.billing.cast import holder, invoiced

pytestmark = pytest.mark.django_db


def test_deleting_a_registration_does_not_take_its_invoice_with_it():
    account, dossier = holder()
    registration, invoice = invoiced(account, dossier, non_member_price=Decimal("40.00"))
    with pytest.raises(ProtectedError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).delete()
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_an_invoice_or_a_payment_cannot_be_deleted():
    account, dossier = holder()
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("40.00"))
    payment = record_payment(invoice, amount=Decimal("10.00"), method="cheque", actor=None)
    with pytest.raises(ProtectedError), transaction.atomic():
        invoice.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).delete()
    assert Payment.objects.filter(pk=payment.pk).exists()

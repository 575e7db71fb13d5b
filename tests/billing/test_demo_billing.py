"""The demo shows paid, unpaid, credited and partly paid invoices and a Relevé 24."""

from __future__ import annotations

import pytest

from guichet.billing.models import Invoice, Payment, TaxSlipRL24
from tests.core.test_load_demo import load_demo


@pytest.mark.sqlite
@pytest.mark.django_db
def test_the_demo_has_every_kind_of_invoice_and_a_releve_24_once():
    load_demo()
    load_demo()
    invoices = list(Invoice.objects.filter(payer_dossier__number="104523"))
    statuses = {invoice.status for invoice in invoices}
    assert {"paid", "unpaid", "partially_paid", "credited"} <= statuses
    assert len(invoices) == 6
    assert Payment.objects.filter(invoice__payer_dossier__number="104523").count() == 5
    slips = TaxSlipRL24.objects.filter(payer__number="104523", current=True)
    assert sorted(slip.child.first_name for slip in slips) == ["Léa", "Thomas"]
    assert all(slip.amount_paid > 0 for slip in slips)

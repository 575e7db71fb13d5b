"""The confirmation email says what was invoiced, taxes included, not the price before tax."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.billing.services.ledger import record_payment
from guichet.catalog.models import OfferingKind
from guichet.registrations.models import Registration
from tests.billing.cast import holder, invoiced
from tests.catalog.factories import OfferingFactory

pytestmark = pytest.mark.django_db


def test_the_confirmation_email_gives_the_invoiced_total_once_paid(
    mailbox, django_capture_on_commit_callbacks
):
    account, dossier = holder(language="fr")
    registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    with django_capture_on_commit_callbacks(execute=True):
        record_payment(invoice, amount=invoice.total, method="cheque", actor=None)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    body = mailbox.body(mailbox.wait_for(account.email, "confirm"))
    assert "114,98" in body  # 100 $ with GST and QST
    assert "100,00" not in body  # never the price before tax as « dû »
    assert "Montant dû" not in body


def test_a_free_registration_says_free(mailbox, django_capture_on_commit_callbacks):
    account, dossier = holder(language="fr")
    offering = OfferingFactory(
        kind=OfferingKind.TRAINING, non_member_price=Decimal("0"), member_price=Decimal("0")
    )
    with django_capture_on_commit_callbacks(execute=True):
        invoiced(account, dossier, offering)
    body = mailbox.body(mailbox.wait_for(account.email, "confirm"))
    assert "Gratuit" in body

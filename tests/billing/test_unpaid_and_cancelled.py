"""What happens to an invoice when its registration is cancelled or stays unpaid."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from guichet.billing.services.ledger import record_payment
from guichet.registrations.models import Registration
from guichet.registrations.services.changes import cancel
from guichet.registrations.services.waitlist import expire_unpaid
from guichet.registrations.tasks import sweep_registrations
from tests.billing.cast import holder, invoiced, submit_line
from tests.catalog.factories import OfferingFactory

pytestmark = pytest.mark.django_db

D = Decimal


def later(hours: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def test_an_unpaid_registration_expires_frees_its_spot_and_credits_its_invoice():
    offering = OfferingFactory(capacity=1)
    payer, dossier = holder()
    registration, invoice = invoiced(payer, dossier, offering)
    assert expire_unpaid(later(1)) == 0  # not yet due
    assert expire_unpaid(later(49)) == 1
    registration.refresh_from_db()
    invoice.refresh_from_db()
    offering.refresh_from_db()
    assert registration.status == "expired"
    assert offering.spots_taken == 0
    assert invoice.status == "credited" and invoice.balance == D("0.00")
    assert invoice.credit_notes.get().total == invoice.total


def test_the_freed_spot_goes_to_the_waiting_list_on_the_sweep():
    offering = OfferingFactory(capacity=1)
    first, first_dossier = holder()
    second, second_dossier = holder()
    invoiced(first, first_dossier, offering)
    waiting = submit_line(second, second_dossier, offering)
    assert waiting.status == "waiting"
    with time_machine.travel(later(49)):
        result = sweep_registrations()
    assert result["unpaid"] == 1
    waiting.refresh_from_db()
    assert waiting.status == "offered"


def test_a_partly_paid_registration_does_not_expire():
    payer, dossier = holder()
    registration, invoice = invoiced(payer, dossier, non_member_price=D("100.00"))
    record_payment(invoice, amount=D("50.00"), method="cheque", reference="123")
    assert expire_unpaid(later(24 * 30)) == 0
    registration.refresh_from_db()
    assert registration.status == "pending_payment"


def test_paying_in_full_confirms_the_registration():
    payer, dossier = holder()
    registration, invoice = invoiced(payer, dossier, non_member_price=D("100.00"))
    record_payment(invoice, amount=D("50.00"), method="cheque")
    registration.refresh_from_db()
    assert registration.status == "pending_payment"
    record_payment(invoice, amount=invoice.total - D("50.00"), method="interac")
    registration.refresh_from_db()
    invoice.refresh_from_db()
    assert registration.status == "confirmed" and invoice.status == "paid"


def test_cancelling_an_unpaid_registration_credits_it_in_full_whatever_the_policy():
    payer, dossier = holder()
    registration, invoice = invoiced(payer, dossier, refund_policy="none")
    cancel(registration, actor=payer)
    invoice.refresh_from_db()
    assert invoice.status == "credited" and invoice.balance == D("0.00")


def test_cancelling_a_paid_registration_with_a_fee_keeps_the_fee_and_its_taxes():
    payer, dossier = holder()
    registration, invoice = invoiced(
        payer,
        dossier,
        non_member_price=D("100.00"),
        refund_policy="fee",
        cancellation_fee=D("20.00"),
    )
    record_payment(invoice, amount=invoice.total, method="cheque")
    cancel(registration, actor=payer)
    invoice.refresh_from_db()
    note = invoice.credit_notes.get()
    assert (note.subtotal, note.gst, note.qst) == (D("80.00"), D("4.00"), D("7.98"))
    # Paid 114.98; the fee keeps 20.00 + 1.00 + 2.00 (QST 1.995 rounds up): 91.98 back.
    assert invoice.total - note.total == D("23.00")
    assert invoice.balance == D("-91.98") and invoice.status == "refund_due"


def test_no_refund_policy_keeps_a_paid_invoice_as_is():
    payer, dossier = holder()
    registration, invoice = invoiced(payer, dossier, refund_policy="none")
    record_payment(invoice, amount=invoice.total, method="interac")
    cancel(registration, actor=payer)
    invoice.refresh_from_db()
    assert not invoice.credit_notes.exists()
    assert invoice.status == "paid"


def test_a_refund_sent_by_staff_settles_the_refund_due(staff):
    payer, dossier = holder()
    registration, invoice = invoiced(payer, dossier, non_member_price=D("100.00"))
    record_payment(invoice, amount=invoice.total, method="cheque")
    cancel(registration, actor=payer)
    invoice.refresh_from_db()
    assert invoice.status == "refund_due"
    record_payment(invoice, amount=invoice.balance, method="cheque", actor=staff)
    invoice.refresh_from_db()
    assert invoice.balance == D("0.00") and invoice.status == "credited"
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"


def test_a_registration_with_a_supplementary_invoice_expires_once():
    from guichet.registrations.services.changes import modify
    from tests.catalog.factories import OptionFactory

    offering = OfferingFactory(capacity=3)
    extra = OptionFactory(offering=offering, name="Dîner", price=D("10.00"))
    payer, dossier = holder()
    registration, _ = invoiced(payer, dossier, offering)
    modify(registration, {extra.pk: 1}, {}, actor=payer)
    assert registration.invoices.filter(due_at__isnull=False).count() == 2
    assert expire_unpaid(later(49)) == 1
    offering.refresh_from_db()
    extra.refresh_from_db()
    assert (offering.spots_taken, extra.taken) == (0, 0)
    assert all(invoice.status == "credited" for invoice in registration.invoices.all())

"""UMQ: gala companions are paid by card only, the participant's own fee by any method.

The companions' lines are billed on an invoice of their own, linked to the registration,
so the card-only rule does not spread to the participant's fee. The registration is
confirmed once every one of its invoices is settled; cancelling credits both.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.billing.models import Invoice
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.payments import PaymentNotAllowed, choose_offline
from guichet.registrations.models import RegistrationStatus
from guichet.registrations.services.changes import cancel, modify
from tests.billing.cast import holder, invoiced
from tests.catalog.factories import OfferingFactory, OptionFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

D = Decimal


def congress(**offering_fields):
    """The UMQ congress: a 450 $ fee, a gala companion at 175 $ paid by card only."""
    offering = OfferingFactory(
        kind="event", title="Congrès annuel", non_member_price=D("450.00"), **offering_fields
    )
    companion = OptionFactory(
        offering=offering,
        kind="companion",
        name="Accompagnateur au gala",
        price=D("175.00"),
        card_only=True,
        max_per_registration=2,
    )
    return offering, companion


@pytest.fixture
def registered():
    offering, companion = congress()
    account, dossier = holder(first_name="Sylvie", last_name="Gagné")
    registration, _first = invoiced(
        account, dossier, offering, options={companion.pk: 1}, companions={companion.pk: ["Paul"]}
    )
    fee, companions = registration.invoices.order_by("id")
    return account, registration, fee, companions


def test_companions_are_billed_on_their_own_card_only_invoice(registered):
    account, registration, fee, companions = registered
    assert not fee.card_only
    assert [line.description for line in fee.lines.all()] == [
        "Congrès annuel — Sylvie Gagné",
    ]
    assert fee.total == D("517.39")
    assert companions.card_only
    assert [line.description for line in companions.lines.all()] == [
        "Accompagnateur au gala : Paul"
    ]
    assert companions.total == D("201.21")
    for invoice in (fee, companions):
        assert invoice.source == registration
        assert invoice.payer_account == account
        assert invoice.due_at is not None


def test_the_participant_pays_the_fee_by_cheque_but_not_the_companions(registered):
    account, _registration, fee, companions = registered
    choose_offline(fee, "cheque", actor=account)
    with pytest.raises(PaymentNotAllowed):
        choose_offline(companions, "cheque", actor=account)


def test_choosing_to_pay_by_cheque_gives_the_companions_invoice_the_same_delay(registered):
    account, _registration, fee, companions = registered
    choose_offline(fee, "cheque", actor=account)
    fee.refresh_from_db()
    companions.refresh_from_db()
    assert companions.due_at == fee.due_at


def test_the_registration_is_confirmed_once_both_invoices_are_paid(registered):
    _account, registration, fee, companions = registered
    record_payment(fee, amount=fee.total, method="cheque")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING_PAYMENT
    record_payment(companions, amount=companions.total, method="card")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_cancelling_credits_both_invoices_and_keeps_the_fee_once():
    offering, companion = congress(refund_policy="fee", cancellation_fee=D("50.00"))
    account, dossier = holder()
    registration, _first = invoiced(
        account, dossier, offering, options={companion.pk: 1}, companions={companion.pk: ["Paul"]}
    )
    fee, companions = registration.invoices.order_by("id")
    record_payment(fee, amount=fee.total, method="cheque")
    record_payment(companions, amount=companions.total, method="card")

    cancel(registration, actor=account)

    fee.refresh_from_db()
    companions.refresh_from_db()
    assert fee.credit_notes.get().subtotal == D("400.00")  # 50 $ kept, on the fee only
    assert companions.credit_notes.get().subtotal == D("175.00")
    assert companions.status == "refund_due" and companions.balance == D("-201.21")


def test_cancelling_an_unpaid_registration_credits_both_invoices_in_full(registered):
    account, registration, fee, companions = registered
    cancel(registration, actor=account)
    for invoice in (fee, companions):
        invoice.refresh_from_db()
        assert invoice.status == "credited"


def test_a_companion_added_later_is_billed_apart_from_a_regular_option():
    offering, companion = congress()
    dinner = OptionFactory(offering=offering, name="Souper", price=D("40.00"))
    account, dossier = holder()
    registration, fee = invoiced(account, dossier, offering)
    assert registration.invoices.count() == 1

    modify(registration, {companion.pk: 1, dinner.pk: 1}, {}, actor=account)

    added = Invoice.objects.filter(registration=registration).exclude(pk=fee.pk).order_by("id")
    assert [(invoice.card_only, invoice.subtotal) for invoice in added] == [
        (False, D("40.00")),
        (True, D("175.00")),
    ]


def test_the_invoice_page_names_the_other_invoice_of_the_registration(client, registered):
    account, _registration, fee, companions = registered
    client.force_login(account)
    page = text_of(client.get(reverse("billing:invoice", args=[fee.pk])))
    assert companions.number in page
    assert reverse("billing:invoice", args=[companions.pk]) in page
    assert "Chèque" in page  # the fee may be paid by cheque
    page = text_of(client.get(reverse("billing:invoice", args=[companions.pk])))
    assert "se paient par carte de crédit uniquement" in page
    assert fee.number in page

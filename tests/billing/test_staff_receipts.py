"""Staff record offline receipts (full or partial) and refunds sent, from a queue."""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.billing.models import Payment
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import PaymentRefused, record_payment
from guichet.billing.services.payments import choose_offline, record_receipt
from guichet.billing.views import staff_payments
from tests.billing.cast import holder, invoiced

pytestmark = pytest.mark.django_db

QUEUE = "/factures/personnel/paiements/"


@pytest.fixture
def staff_client(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


def cheque_invoice(last_name: str = "Tremblay", price: str = "100.00"):
    account, dossier = holder(last_name=last_name)
    registration, invoice = invoiced(account, dossier, non_member_price=Decimal(price))
    choose_offline(invoice, "cheque", actor=account)
    invoice.refresh_from_db()
    return registration, invoice


def receipt(client, invoice, amount: str, reference: str = "1042", **extra):
    data = {
        "action": "receipt",
        "receipt-amount": amount,
        "receipt-method": "cheque",
        "receipt-received_on": "2026-01-15",
        "receipt-reference": reference,
        **extra,
    }
    return client.post(reverse("billing:staff_invoice_payments", args=[invoice.pk]), data)


def test_the_queue_lists_invoices_awaiting_an_offline_payment_and_refunds_due(
    staff_client, django_assert_max_num_queries
):
    _, waiting = cheque_invoice("Tremblay")
    account, dossier = holder(last_name="Gagnon")
    _, unchosen = invoiced(account, dossier, non_member_price=Decimal("50.00"))
    _, refund = cheque_invoice("Bouchard")
    record_payment(refund, amount=refund.total, method="cheque", actor=None)
    credit_invoice(refund, actor=None, reason="Annulation")
    with django_assert_max_num_queries(8):
        page = staff_client.get(QUEUE).content.decode()
    assert waiting.number in page and refund.number in page
    assert unchosen.number not in page  # no offline method chosen: not waiting for staff
    assert "Paiement attendu : Chèque" in page and "Remboursement à faire" in page
    assert "-114,98 $" in page


def test_the_queue_searches_by_invoice_number_or_payer_name_and_pages(staff_client, monkeypatch):
    _, first = cheque_invoice("Tremblay")
    _, second = cheque_invoice("Lavoie")
    _, third = cheque_invoice("Côté")
    page = staff_client.get(QUEUE, {"q": "lavoie"}).content.decode()
    assert second.number in page and first.number not in page
    page = staff_client.get(QUEUE, {"q": first.number}).content.decode()
    assert first.number in page and second.number not in page
    assert "Aucune facture ne correspond." in staff_client.get(QUEUE, {"q": "zzz"}).content.decode()
    monkeypatch.setattr(staff_payments, "PAGE_SIZE", 2)
    page = staff_client.get(QUEUE).content.decode()
    assert "Page 1 sur 2" in page and third.number not in page
    assert third.number in staff_client.get(QUEUE, {"page": 2}).content.decode()


def test_a_partial_then_a_full_receipt_reconcile_and_confirm_the_registration(
    staff_client, staff, mailbox, django_capture_on_commit_callbacks
):
    registration, invoice = cheque_invoice()
    response = receipt(staff_client, invoice, "50,00", reference="1042")
    assert response.status_code == 302 and response["Location"] == QUEUE
    invoice.refresh_from_db()
    registration.refresh_from_db()
    assert invoice.balance == Decimal("64.98") and invoice.status == "partially_paid"
    assert registration.status == "pending_payment"
    assert f">{invoice.number}</a>" in staff_client.get(QUEUE).content.decode()  # still waiting

    with django_capture_on_commit_callbacks(execute=True):
        response = receipt(staff_client, invoice, "64,98", reference="1043")
    invoice.refresh_from_db()
    registration.refresh_from_db()
    assert invoice.balance == Decimal("0.00") and invoice.status == "paid"
    assert registration.status == "confirmed"
    payments = list(Payment.objects.filter(invoice=invoice).order_by("pk"))
    assert [(p.amount, p.reference, p.recorded_by) for p in payments] == [
        (Decimal("50.00"), "1042", staff),
        (Decimal("64.98"), "1043", staff),
    ]
    assert all(p.receipt_number for p in payments)
    assert f">{invoice.number}</a>" not in staff_client.get(QUEUE).content.decode()
    assert "0,00 $" in mailbox.body(mailbox.wait_for(invoice.payer_email, "Paiement"))


def test_more_than_the_balance_is_refused_beside_the_amount_and_nothing_is_lost(staff_client):
    _, invoice = cheque_invoice()
    response = receipt(staff_client, invoice, "200,00", reference="cheque 77")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le montant dépasse le solde de la facture." in page
    assert 'value="200,00"' in page and 'value="cheque 77"' in page
    assert not Payment.objects.exists()
    with pytest.raises(PaymentRefused):
        record_receipt(invoice, amount=Decimal("0"), method="cheque", received_on=None, actor=None)


def test_bad_input_is_explained_in_french_beside_each_field(staff_client):
    _, invoice = cheque_invoice()
    page = receipt(staff_client, invoice, "abc", **{"receipt-received_on": "2099-01-01"})
    text = page.content.decode()
    assert "Saisissez un nombre." in text
    assert "La date ne peut pas être dans le futur." in text
    assert not Payment.objects.exists()


def test_recording_a_refund_sent_clears_the_refund_due(
    staff_client, staff, django_assert_max_num_queries
):
    _, invoice = cheque_invoice()
    record_payment(invoice, amount=invoice.total, method="cheque", actor=None)
    credit_invoice(invoice, actor=None, reason="Annulation")
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("-114.98")
    url = reverse("billing:staff_invoice_payments", args=[invoice.pk])
    # 8, and 2 for the register of staff views (the page shows the payer: docs/privacy.md).
    with django_assert_max_num_queries(10):
        page = staff_client.get(url).content.decode()
    assert "Enregistrer un remboursement envoyé" in page
    data = {
        "action": "refund",
        "refund-amount": "114,98",
        "refund-method": "cheque",
        "refund-received_on": "2026-01-20",
        "refund-reference": "2001",
    }
    too_much = staff_client.post(url, {**data, "refund-amount": "120,00"})
    assert "Le montant dépasse le remboursement dû." in too_much.content.decode()
    assert staff_client.post(url, data).status_code == 302
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("0.00")
    refund = Payment.objects.get(invoice=invoice, amount__lt=0)
    assert (refund.amount, refund.recorded_by, refund.reference) == (
        Decimal("-114.98"),
        staff,
        "2001",
    )


def test_non_staff_get_404_and_visitors_sign_in(client, account, password):
    _, invoice = cheque_invoice()
    detail = reverse("billing:staff_invoice_payments", args=[invoice.pk])
    assert client.get(QUEUE).status_code == 302
    client.force_login(invoice.payer_account)
    for url in (QUEUE, detail):
        assert client.get(url).status_code == 404
    assert receipt(client, invoice, "114,98").status_code == 404
    client.force_login(account)
    assert client.get(QUEUE).status_code == 404
    assert not Payment.objects.exists()


def test_the_staff_page_links_to_the_queue(staff_client):
    page = staff_client.get("/personnel/", follow=True).content.decode()
    assert f'href="{QUEUE}"' in page and "Paiements à enregistrer" in page

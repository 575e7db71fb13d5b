"""Documents say what happened to the money: a paid invoice's PDF does not ask to pay, the
card return page shows this payment's amount, and a refund's amount reads positive (its
sign is the document's kind: « un remboursement de 70,00 $ »)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.billing.models import Checkout
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.payments import start_checkout
from tests.billing.cast import holder, invoiced
from tests.billing.fake_stripe import stripe_api  # noqa: F401 (fixture fake_stripe)
from tests.billing.test_document_pdfs import get_pdf, pdf_text
from tests.registrations.test_mine_amounts import words

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def payer(client, password):
    account, dossier = holder(
        password=password, email="paul.roy@exemple.ca", first_name="Paul", last_name="Roy"
    )
    _registration, invoice = invoiced(account, dossier, non_member_price=D("100.00"))
    client.force_login(account)
    return account, invoice


def invoice_pdf_text(client, invoice) -> str:
    return pdf_text(get_pdf(client, reverse("billing:invoice_pdf", args=[invoice.pk])))


def test_an_unpaid_invoice_pdf_says_how_to_pay_online(client, payer):
    _account, invoice = payer
    assert "Payez en ligne" in invoice_pdf_text(client, invoice)


def test_a_paid_invoice_pdf_says_it_is_paid_not_pay_online(client, payer):
    _account, invoice = payer
    record_payment(invoice, amount=invoice.total, method="cheque")
    text = invoice_pdf_text(client, invoice)
    assert "Payez en ligne" not in text
    assert "Payée en totalité. Merci." in text


def test_a_credited_invoice_pdf_says_nothing_is_owed(client, payer):
    _account, invoice = payer
    credit_invoice(invoice, actor=None, reason="Annulation")
    text = invoice_pdf_text(client, invoice)
    assert "Payez en ligne" not in text
    assert "Créditée en totalité : aucun montant n'est dû." in text


def test_an_invoice_with_a_refund_due_says_so(client, payer):
    _account, invoice = payer
    record_payment(invoice, amount=invoice.total, method="cheque")
    credit_invoice(invoice, actor=None, reason="Annulation")
    text = invoice_pdf_text(client, invoice)
    assert "Payez en ligne" not in text
    assert "Un remboursement de 114,98 $ vous est dû." in text


def test_the_card_return_page_shows_the_amount_of_this_payment(client, payer, settings):
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = ""
    account, invoice = payer
    record_payment(invoice, amount=D("50.00"), method="cheque")  # part paid by cheque first
    client.post(reverse("billing:pay_card", args=[invoice.pk]))
    checkout = Checkout.objects.get()
    assert checkout.amount == D("64.98")

    response = client.post(f"/factures/demo-paiement/{checkout.provider_id}/", follow=True)

    page = words(response)
    assert "Paiement reçu" in page
    assert "Montant payé 64,98 $" in page
    assert "114,98 $" not in page
    assert "Solde 0,00 $" in page


def test_the_return_page_of_a_checkout_not_yet_paid_shows_no_amount(client, payer):
    account, invoice = payer
    record_payment(invoice, amount=invoice.total, method="cheque")
    page = words(client.get(reverse("billing:checkout_return", args=[invoice.pk])))
    assert "Montant payé" not in page


def test_the_refund_email_reads_a_positive_amount(
    client, payer, mailbox, staff, django_capture_on_commit_callbacks
):
    account, invoice = payer
    record_payment(invoice, amount=D("70.00"), method="cheque")
    credit_invoice(invoice, actor=staff, reason="Annulation")
    with django_capture_on_commit_callbacks(execute=True):
        record_payment(invoice, amount=D("-70.00"), method="cheque", actor=staff)

    body = mailbox.body(mailbox.wait_for("paul.roy@exemple.ca", "Remboursement"))

    assert "Un remboursement de 70,00 $ (Chèque) a été fait sur la facture" in body
    assert "-70,00" not in body
    page = words(client.get(reverse("billing:invoice", args=[invoice.pk])))
    assert "Remboursement, 70,00 $" in page and "-70,00" not in page
    page = words(client.get(reverse("dossiers:invoices")))
    assert "-70,00" not in page


def test_starting_a_checkout_does_not_change_what_the_return_page_shows(client, payer, fake_stripe):
    account, invoice = payer
    start_checkout(invoice, actor=account, success_url="http://t/", cancel_url="http://t/")
    checkout = Checkout.objects.get()
    url = reverse("billing:checkout_return", args=[invoice.pk])
    page = words(client.get(f"{url}?session_id={checkout.provider_id}"))
    assert "Paiement en cours de confirmation" in page and "Montant payé" not in page

"""« Envoyer »: Interac, transfer or cheque; the instructions are shown and emailed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent
from guichet.billing.models import Checkout
from guichet.billing.services.payments import PaymentNotAllowed, choose_offline
from tests.billing.cast import holder, invoiced
from tests.catalog.factories import OptionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def payer(client, password):
    account, dossier = holder(password=password, email="payeur@exemple.ca")
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    client.force_login(account)
    return account, invoice


@pytest.fixture
def gala_invoice(client, password):
    account, dossier = holder(password=password)
    gala = OptionFactory(name="Accompagnateur — soirée gala", price=Decimal("150.00"))
    gala.kind, gala.card_only = "companion", True
    gala.save()
    registration, _fee = invoiced(
        account, dossier, gala.offering, options={gala.pk: 1}, companions={gala.pk: ["Paul"]}
    )
    client.force_login(account)
    return account, registration.invoices.get(card_only=True)


def test_choosing_cheque_shows_and_emails_the_instructions(
    client, payer, mailbox, django_capture_on_commit_callbacks
):
    account, invoice = payer
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("billing:pay_offline", args=[invoice.pk]), {"method": "cheque"}
            )
        assert response["Location"] == reverse("billing:offline_instructions", args=[invoice.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Comment payer" in page
    assert (
        "Libellez le chèque à l&#x27;ordre de" in page or "Libellez le chèque à l'ordre de" in page
    )
    assert "Municipalité de Val-des-Érables" in page and invoice.number in page
    assert "114,98 $" in page
    invoice.refresh_from_db()
    assert invoice.offline_method == "cheque" and invoice.offline_chosen_at == NOW
    assert invoice.due_at == NOW + datetime.timedelta(days=10)
    assert invoice.status == "unpaid"
    assert AuditEvent.objects.filter(action=Action.OFFLINE_PAYMENT_CHOSEN, actor=account).exists()

    message = mailbox.wait_for("payeur@exemple.ca", "Comment payer la facture")
    body = mailbox.body(message)
    assert invoice.number in message["Subject"]
    assert "Libellez le chèque à l'ordre de : Municipalité de Val-des-Érables" in body
    assert "Service des loisirs, 1200, rue Principale" in body
    assert f"Référence à inscrire avec votre paiement : {invoice.number}" in body
    assert "Montant à payer : 114,98 $" in body


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("interac", "paiements@valdeserables.exemple.ca"),
        ("transfer", "institution 815, transit 20145, compte 0123456"),
    ],
)
def test_interac_and_transfer_instructions_come_from_the_preset(
    client, payer, method, expected, mailbox, django_capture_on_commit_callbacks
):
    account, invoice = payer
    with django_capture_on_commit_callbacks(execute=True):
        choose_offline(invoice, method, actor=account)
    assert expected in mailbox.body(mailbox.wait_for(account.email, "Comment payer"))
    assert (
        expected
        in client.get(reverse("billing:offline_instructions", args=[invoice.pk])).content.decode()
    )


def test_no_due_date_stays_without_one(payer):
    account, invoice = payer
    invoice.due_at = None
    invoice.save()
    choose_offline(invoice, "interac", actor=account)
    invoice.refresh_from_db()
    assert invoice.due_at is None and invoice.offline_method == "interac"


def test_sending_without_a_choice_says_so_beside_the_field(client, payer):
    _, invoice = payer
    response = client.post(reverse("billing:pay_offline", args=[invoice.pk]), {})
    assert response.status_code == 200
    assert "Choisissez votre mode de paiement." in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.offline_method == ""


def test_a_method_the_operator_does_not_offer_is_refused(client, payer, settings):
    account, invoice = payer
    settings.GUICHET_PRESET = "umq"  # no Interac recipient
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "Virement Interac" not in page and "Chèque" in page
    with pytest.raises(PaymentNotAllowed):
        choose_offline(invoice, "interac", actor=account)
    response = client.post(reverse("billing:pay_offline", args=[invoice.pk]), {"method": "interac"})
    assert response.status_code == 200
    invoice.refresh_from_db()
    assert invoice.offline_method == ""


def test_a_card_only_invoice_refuses_offline_methods_on_the_page_and_in_the_service(
    client, gala_invoice, settings
):
    account, invoice = gala_invoice
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "Payer maintenant" in page
    assert "se paie seulement par carte de crédit" in page
    assert reverse("billing:pay_offline", args=[invoice.pk]) not in page
    assert "Envoyer" not in page
    response = client.post(
        reverse("billing:pay_offline", args=[invoice.pk]), {"method": "cheque"}, follow=True
    )
    assert "se paie seulement par carte" in response.content.decode()
    with pytest.raises(PaymentNotAllowed):
        choose_offline(invoice, "cheque", actor=account)
    invoice.refresh_from_db()
    assert invoice.offline_method == "" and invoice.offline_chosen_at is None


def test_a_paid_invoice_offers_no_payment(client, payer, settings):
    from guichet.billing.services.ledger import record_payment

    account, invoice = payer
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    record_payment(invoice, amount=invoice.total, method="cheque", actor=None)
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "Payer maintenant" not in page and "Envoyer" not in page
    with pytest.raises(PaymentNotAllowed):
        choose_offline(invoice, "cheque", actor=account)


def test_an_outsider_gets_404_on_every_payment_url(client, payer, outsider, settings):
    _, invoice = payer
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    client.post(reverse("billing:pay_card", args=[invoice.pk]))
    demo = reverse("billing:demo_checkout", args=[Checkout.objects.get().provider_id])
    choose_offline(invoice, "cheque", actor=invoice.payer_account)
    client.force_login(outsider)
    for name in ("pay_card", "pay_offline"):
        url = reverse(f"billing:{name}", args=[invoice.pk])
        assert client.post(url, {"method": "cheque"}).status_code == 404, url
    for name in ("checkout_return", "offline_instructions", "pay_offline"):
        url = reverse(f"billing:{name}", args=[invoice.pk])
        assert client.get(url).status_code == 404, url
    assert client.get(demo).status_code == 404
    assert client.post(demo).status_code == 404
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("0.00")
    assert Checkout.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(client, payer):
    _, invoice = payer
    client.logout()
    response = client.post(reverse("billing:pay_offline", args=[invoice.pk]), {"method": "cheque"})
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert timezone.now()  # the invoice is untouched
    invoice.refresh_from_db()
    assert invoice.offline_method == ""

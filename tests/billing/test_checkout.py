"""« Payer maintenant »: a hosted checkout for the balance, at Stripe's HTTP boundary."""

from __future__ import annotations

import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.billing.models import Checkout, Payment, WebhookEvent
from guichet.billing.providers import active_provider
from guichet.billing.providers.base import ProviderError
from guichet.billing.providers.stripe import StripeProvider, from_minor_units, to_minor_units
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from guichet.billing.services.payments import PaymentNotAllowed, start_checkout
from guichet.billing.services.settlement import refund_surplus
from tests.billing.cast import holder, invoiced
from tests.billing.fake_stripe import SECRET_KEY, stripe_api  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer(client, password):
    account, dossier = holder(password=password)
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    client.force_login(account)
    return account, invoice


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize(
    ("dollars", "cents"),
    [("114.98", 11498), ("0.01", 1), ("19.99", 1999), ("1250.005", 125001), ("7", 700)],
)
def test_amounts_go_to_stripe_as_integer_cents_and_come_back_exact(dollars, cents):
    assert to_minor_units(Decimal(dollars)) == cents
    assert from_minor_units(cents) == Decimal(cents) / 100
    with pytest.raises(TypeError):
        to_minor_units(19.99)


def test_pay_now_opens_a_stripe_checkout_for_the_balance(client, payer, fake_stripe):
    account, invoice = payer
    response = client.post(reverse("billing:pay_card", args=[invoice.pk]))
    checkout = Checkout.objects.get(invoice=invoice)
    assert response.status_code == 302 and response["Location"] == checkout.url
    assert checkout.url.startswith(fake_stripe.url + "/pay/cs_test_")
    assert (checkout.provider, checkout.amount, checkout.status) == (
        "stripe",
        Decimal("114.98"),
        "open",
    )
    path, authorization, form = fake_stripe.calls[-1]
    assert path == "/v1/checkout/sessions" and authorization == f"Bearer {SECRET_KEY}"
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][currency]"] == "cad"
    assert form["line_items[0][price_data][unit_amount]"] == "11498"
    assert form["line_items[0][quantity]"] == "1"
    assert invoice.number in form["line_items[0][price_data][product_data][name]"]
    assert form["customer_email"] == account.email and form["locale"] == "fr"
    assert form["client_reference_id"] == form["metadata[invoice]"] == str(invoice.pk)
    assert form["success_url"].endswith(
        f"/factures/{invoice.pk}/payer/retour/?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert form["cancel_url"].endswith(f"/factures/{invoice.pk}/")
    assert AuditEvent.objects.filter(action=Action.CHECKOUT_STARTED, actor=account).exists()


def test_a_refused_api_key_leaves_the_payer_on_the_invoice_with_a_message(
    client,
    payer,
    fake_stripe,
    settings,
):
    _, invoice = payer
    settings.GUICHET_STRIPE_SECRET_KEY = "sk_test_wrong"
    response = client.post(reverse("billing:pay_card", args=[invoice.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("billing:invoice", args=[invoice.pk])
    assert "ne peut pas être joint" in response.content.decode()
    assert not Checkout.objects.exists()
    with pytest.raises(ProviderError, match="401"):
        StripeProvider.from_settings().refund(payment_reference="pi_x", amount=Decimal("1.00"))


def test_an_unreachable_stripe_is_a_provider_error(settings):
    settings.GUICHET_STRIPE_SECRET_KEY = SECRET_KEY
    settings.GUICHET_STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(ProviderError):
        StripeProvider.from_settings().refund(payment_reference="pi_x", amount=Decimal("1.00"))


def test_nothing_owed_no_checkout(payer, fake_stripe):
    account, invoice = payer
    record_payment(invoice, amount=invoice.total, method="cheque", actor=None)
    with pytest.raises(PaymentNotAllowed):
        start_checkout(invoice, actor=account, success_url="http://t/", cancel_url="http://t/")
    assert not fake_stripe.calls


def test_without_a_provider_pay_now_is_not_offered(client, payer, settings):
    _, invoice = payer
    settings.GUICHET_PAYMENT_PROVIDER = ""
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "Payer maintenant" not in page
    assert "Envoyer" in page
    response = client.post(reverse("billing:pay_card", args=[invoice.pk]))
    assert response.status_code == 302 and not Checkout.objects.exists()


def test_the_invoice_page_offers_pay_now_and_the_offline_methods(client, payer, fake_stripe):
    _, invoice = payer
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "Payer maintenant" in page
    for label in ("Virement Interac", "Virement bancaire ou dépôt direct", "Chèque", "Envoyer"):
        assert label in page


def test_the_return_page_waits_for_the_webhook_then_says_received(client, payer, fake_stripe):
    _, invoice = payer
    client.post(reverse("billing:pay_card", args=[invoice.pk]))
    checkout = Checkout.objects.get()
    url = (
        reverse("billing:checkout_return", args=[invoice.pk])
        + f"?session_id={checkout.provider_id}"
    )
    page = client.get(url).content.decode()
    assert "Paiement en cours de confirmation" in page and "core/reload.js" in page
    record_payment(
        invoice, amount=invoice.total, method="card", actor=None, provider_reference="pi_1"
    )
    checkout.status = "completed"
    checkout.save()
    page = client.get(url).content.decode()
    assert "Paiement reçu" in page and "core/reload.js" not in page


@pytest.mark.django_db(transaction=True)
def test_paying_on_the_hosted_page_sends_a_signed_webhook_that_pays(
    client,
    payer,
    fake_stripe,
    live_server,
):
    _, invoice = payer
    fake_stripe.app_url = live_server.url
    url = client.post(reverse("billing:pay_card", args=[invoice.pk]))["Location"]
    assert "Payer" in urllib.request.urlopen(url).read().decode()  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(urllib.request.Request(url, data=b"", method="POST"))  # noqa: S310
    assert answer.value.code == 303
    assert "/payer/retour/?session_id=cs_test_" in answer.value.headers["Location"]
    assert fake_stripe.webhook_answers == [200]
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert WebhookEvent.objects.get().signature_valid


def test_a_card_refund_goes_to_stripe_in_cents(payer, fake_stripe):
    account, invoice = payer
    start_checkout(invoice, actor=account, success_url="http://t/", cancel_url="http://t/")
    session = next(iter(fake_stripe.sessions.values()))
    session["payment_intent"] = "pi_refundable"
    record_payment(
        invoice, amount=invoice.total, method="card", actor=None, provider_reference="pi_refundable"
    )
    credit_invoice(invoice, actor=None, reason="Annulation")
    assert refund_surplus(invoice, actor=None) == Decimal("0.00")
    assert fake_stripe.refunds[-1]["payment_intent"] == "pi_refundable"
    assert fake_stripe.refunds[-1]["amount"] == "11498"
    refund = Payment.objects.get(invoice=invoice, amount__lt=0)
    assert refund.amount == Decimal("-114.98") and refund.provider_reference.startswith("re_test_")


# --- The demo provider -------------------------------------------------------------------


def test_the_demo_provider_pays_through_the_same_signed_webhook(client, payer, settings):
    _, invoice = payer
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = ""
    assert active_provider().name == "demo"
    response = client.post(reverse("billing:pay_card", args=[invoice.pk]))
    checkout = Checkout.objects.get()
    assert response["Location"] == f"/factures/demo-paiement/{checkout.provider_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "Payer" in page and "114,98" in page
    response = client.post(response["Location"], follow=True)
    assert "Paiement reçu" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    event = WebhookEvent.objects.get()
    assert event.provider == "demo" and event.signature_valid
    # Paying twice (back button) does not pay twice.
    client.post(f"/factures/demo-paiement/{checkout.provider_id}/")
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_the_demo_checkout_page_exists_only_with_the_demo_provider(client, payer, settings):
    _, invoice = payer
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    client.post(reverse("billing:pay_card", args=[invoice.pk]))
    url = f"/factures/demo-paiement/{Checkout.objects.get().provider_id}/"
    settings.GUICHET_PAYMENT_PROVIDER = "stripe"
    assert client.get(url).status_code == 404
    settings.GUICHET_PAYMENT_PROVIDER = ""
    assert client.get(url).status_code == 404


def test_a_payer_on_the_hosted_page_keeps_the_spot_until_the_page_expires(payer, fake_stripe):
    import datetime

    from django.utils import timezone

    account, invoice = payer
    invoice.due_at = timezone.now() + datetime.timedelta(minutes=5)  # about to expire
    invoice.save()
    start_checkout(invoice, actor=account, success_url="http://t/", cancel_url="http://t/")
    invoice.refresh_from_db()
    assert invoice.due_at > timezone.now() + datetime.timedelta(hours=1)
    expires_at = int(fake_stripe.calls[-1][2]["expires_at"])
    assert expires_at < invoice.due_at.timestamp()
    # A registration due in two days is not shortened.
    later = timezone.now() + datetime.timedelta(days=2)
    invoice.due_at = later
    invoice.save()
    start_checkout(invoice, actor=account, success_url="http://t/", cancel_url="http://t/")
    invoice.refresh_from_db()
    assert invoice.due_at == later


def test_stripe_without_its_keys_does_not_offer_pay_now(client, payer, settings):
    _, invoice = payer
    settings.GUICHET_PAYMENT_PROVIDER = "stripe"
    settings.GUICHET_STRIPE_SECRET_KEY = "sk_test_x"
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = ""
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "Payer maintenant" not in page and "Envoyer" in page
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = "whsec_x"
    page = client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "Payer maintenant" in page

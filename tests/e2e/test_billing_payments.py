"""Paying an invoice as a person would: by card on the provider's hosted page (a fake
Stripe at its HTTP boundary, real signatures), or by cheque recorded by staff."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from playwright.sync_api import Page, expect

from guichet.billing.models import Invoice, WebhookEvent
from guichet.registrations.models import Registration
from tests.billing.cast import holder, invoiced
from tests.billing.fake_stripe import stripe_api  # noqa: F401 (fixture fake_stripe)
from tests.e2e.test_account_journeys import sign_in
from tests.registrations.engine_support import make_offering, make_person
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def staff_page(browser, base_url: str, staff) -> Page:
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    session = Client()
    session.force_login(staff)
    desk = browser.new_context(base_url=base_url, locale="fr-CA")
    desk.add_cookies(
        [{"name": "sessionid", "value": session.cookies["sessionid"].value, "url": base_url}]
    )
    return desk.new_page()


def at_360(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_new_user_registers_pays_by_card_and_sees_the_invoice_paid(
    page: Page,
    password,
    live_server,
    fake_stripe,
):
    fake_stripe.app_url = live_server.url
    account, _dossier = make_person(password=password, first_name="Émilie", last_name="Roy")
    offering = make_offering(title="Aquaforme", non_member_price=Decimal("100.00"))
    sign_in(page, account.email, password)
    page.goto(f"/inscriptions/s-inscrire/{offering.slug}/")
    page.get_by_label("Émilie Roy", exact=False).check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Vérifier et soumettre")).to_be_visible()
    page.get_by_role("button", name="Soumettre l'inscription").click()
    page.get_by_role("button", name="Confirmer l'inscription de Émilie Roy").click()

    invoice = Invoice.objects.get(payer_account=account)
    expect(page.get_by_role("heading", name=f"Facture {invoice.number}")).to_be_visible()
    expect(page.get_by_text("Solde à payer : 114,98 $")).to_be_visible()
    assert_accessible(page)
    at_360(page)
    page.get_by_role("button", name="Payer maintenant").click()

    expect(page.get_by_role("heading", name="Paiement sécurisé")).to_be_visible()
    expect(page.get_by_text("Montant : 114,98 $")).to_be_visible()
    page.get_by_role("button", name="Payer", exact=True).click()

    expect(page.get_by_role("heading", name="Paiement reçu")).to_be_visible()
    assert_accessible(page)
    at_360(page)
    assert fake_stripe.webhook_answers == [200]
    assert WebhookEvent.objects.get().signature_valid
    page.get_by_role("link", name="Retour à la facture").click()
    expect(page.get_by_text("Payée", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Payer maintenant")).to_have_count(0)
    assert Registration.objects.get(participant__last_name="Roy").status == "confirmed"

    pdf_link = page.get_by_role("link", name="Télécharger la facture (PDF)")
    expect(pdf_link).to_be_visible()
    pdf = page.context.request.get(pdf_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")


def test_pay_by_cheque_then_staff_record_it_and_the_balance_is_zero(
    page: Page, browser, base_url, password, staff, mailbox
):
    account, dossier = holder(password=password, email="remi.cote@exemple.ca")
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    sign_in(page, account.email, password)
    page.goto(f"/factures/{invoice.pk}/")
    page.get_by_label("Chèque").check()
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_role("heading", name="Comment payer")).to_be_visible()
    expect(page.get_by_text("Municipalité de Val-des-Érables").first).to_be_visible()
    expect(page.get_by_text(invoice.number).first).to_be_visible()
    assert_accessible(page)
    at_360(page)
    body = mailbox.body(mailbox.wait_for("remi.cote@exemple.ca", "Comment payer la facture"))
    assert "Libellez le chèque à l'ordre de : Municipalité de Val-des-Érables" in body
    assert invoice.number in body

    agent = staff_page(browser, base_url, staff)
    try:
        agent.goto("/personnel/")
        agent.get_by_role("link", name="Paiements à enregistrer").click()
        expect(agent.get_by_role("heading", name="Paiements à enregistrer")).to_be_visible()
        agent.get_by_label("Numéro de facture ou nom du payeur").fill(dossier.last_name)
        agent.get_by_role("button", name="Rechercher").click()
        expect(agent.get_by_text("Paiement attendu : Chèque")).to_be_visible()
        assert_accessible(agent)
        at_360(agent)
        agent.get_by_role("link", name=invoice.number).click()
        expect(
            agent.get_by_role("heading", name=f"Paiements de la facture {invoice.number}")
        ).to_be_visible()
        assert_accessible(agent)
        at_360(agent)
        expect(agent.get_by_label("Montant")).to_have_value("114,98")
        agent.get_by_label("Référence").fill("Chèque 1042")
        agent.get_by_role("button", name="Enregistrer le paiement").click()
        expect(
            agent.get_by_text(re.compile(rf"Solde de la facture {invoice.number} : 0,00 \$"))
        ).to_be_visible()
    finally:
        agent.context.close()

    page.goto(f"/factures/{invoice.pk}/")
    expect(page.get_by_text("Payée", exact=True)).to_be_visible()
    expect(page.locator("dd", has_text="0,00 $").first).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer")).to_have_count(0)
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("0.00")


def test_demo_provider_pays_on_its_own_page_and_offline_choice_errors_are_explained(
    page: Page, password, settings
):
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = ""
    account, dossier = holder(password=password)
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("40.00"))
    sign_in(page, account.email, password)

    # « Envoyer » without a choice: the page says so beside the choices.
    page.goto(f"/factures/{invoice.pk}/")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", name="Choisissez votre mode de paiement")).to_be_visible()
    expect(page.get_by_text("Choisissez votre mode de paiement.")).to_be_visible()
    assert_accessible(page)
    at_360(page)

    page.goto(f"/factures/{invoice.pk}/")
    page.get_by_role("button", name="Payer maintenant").click()
    expect(page.get_by_role("heading", name="Page de paiement de démonstration")).to_be_visible()
    expect(page.get_by_text("45,99 $")).to_be_visible()
    assert_accessible(page)
    at_360(page)
    page.get_by_role("button", name="Payer", exact=True).click()
    expect(page.get_by_role("heading", name="Paiement reçu")).to_be_visible()
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert WebhookEvent.objects.get(provider="demo").signature_valid

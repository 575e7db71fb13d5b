"""A registration's invoices as people meet them in the browser.

- UMQ: the participant pays their own fee by cheque, while their gala companion, paid by
  card only, is on an invoice of its own paid by card; once both are settled the
  registration is confirmed and owes nothing.
- The person registered by their employer sees their registration and who pays it, and no
  link to an invoice they may not open.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from guichet.billing.services.payments import record_receipt
from guichet.dossiers.models import Delegation, DossierKind
from guichet.registrations.models import Registration
from tests.billing.cast import holder, invoiced
from tests.catalog.factories import OfferingFactory, OptionFactory
from tests.dossiers.factories import DossierFactory
from tests.e2e.test_account_journeys import sign_in
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def at_360(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_umq_participant_pays_the_fee_by_cheque_and_the_gala_companion_by_card(
    page: Page, password, settings, staff
):
    settings.GUICHET_PRESET = "umq"
    settings.GUICHET_PAYMENT_PROVIDER = "demo"
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = ""
    congress = OfferingFactory(
        kind="event", title="Assises annuelles 2027", non_member_price=Decimal("450.00")
    )
    companion = OptionFactory(
        offering=congress,
        kind="companion",
        name="Accompagnateur au gala",
        price=Decimal("175.00"),
        card_only=True,
    )
    account, dossier = holder(password=password, first_name="Sylvie", last_name="Gagné")
    registration, fee = invoiced(
        account,
        dossier,
        congress,
        options={companion.pk: 1},
        companions={companion.pk: ["Paul Gagné"]},
    )
    gala = registration.invoices.get(card_only=True)

    sign_in(page, account.email, password)
    page.goto("/mon-dossier/mes-evenements/")
    card = page.get_by_role("region", name="Assises annuelles 2027")
    expect(card.get_by_text("718,60 $ (taxes incluses)")).to_be_visible()
    expect(card.get_by_text(re.compile(rf"{fee.number} — 517,39 \$, impayée"))).to_be_visible()
    expect(
        card.get_by_text(re.compile(rf"{gala.number} — 201,21 \$, impayée .carte de crédit"))
    ).to_be_visible()
    assert_accessible(page)
    at_360(page)

    # The fee: by cheque, as the UMQ guide allows.
    card.get_by_role("link", name="Voir les factures et payer").click()
    expect(page.get_by_role("heading", name="Assises annuelles 2027")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=fee.number).click()
    expect(page.get_by_role("heading", name=f"Facture {fee.number}")).to_be_visible()
    expect(page.get_by_role("link", name=f"Facture {gala.number}")).to_be_visible()
    page.get_by_label("Chèque").check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", name="Comment payer")).to_be_visible()
    expect(page.get_by_text("Union des municipalités du Québec").first).to_be_visible()

    # The gala companion: by card only.
    page.goto(f"/factures/{fee.pk}/")
    page.get_by_role("link", name=f"Facture {gala.number}").click()
    expect(page.get_by_role("heading", name=f"Facture {gala.number}")).to_be_visible()
    expect(page.get_by_text("Accompagnateur au gala : Paul Gagné")).to_be_visible()
    expect(page.get_by_label("Chèque")).to_have_count(0)
    expect(page.get_by_role("button", name="Envoyer")).to_have_count(0)
    assert_accessible(page)
    at_360(page)
    page.get_by_role("button", name="Payer maintenant").click()
    expect(page.get_by_text("201,21 $")).to_be_visible()
    page.get_by_role("button", name="Payer", exact=True).click()
    expect(page.get_by_role("heading", name="Paiement reçu")).to_be_visible()
    expect(page.locator("dd", has_text="201,21 $")).to_be_visible()
    assert_accessible(page)

    registration.refresh_from_db()
    assert registration.status == "pending_payment"  # the cheque is still on its way
    fee.refresh_from_db()
    record_receipt(
        fee, amount=fee.balance, method="cheque", received_on=fee.issued_at.date(), actor=staff
    )
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"

    page.goto("/mon-dossier/mes-evenements/")
    card = page.get_by_role("region", name="Assises annuelles 2027")
    expect(card.get_by_text("Inscription confirmée")).to_be_visible()
    expect(card.get_by_text("0,00 $ (taxes incluses)")).to_be_visible()
    expect(card.get_by_role("link", name="Voir les factures et payer")).to_have_count(0)


def test_the_person_registered_by_their_employer_sees_who_pays_without_a_dead_end(
    page: Page, password
):
    delegate, _ = holder(first_name="Denise", last_name="Déléguée")
    town = DossierFactory(kind=DossierKind.ORGANIZATION, organization_name="Ville de Rimouski")
    Delegation.objects.create(account=delegate, organization=town)
    account, dossier = holder(password=password, first_name="Marc", last_name="Pelletier")
    training = OfferingFactory(
        kind="training", title="Gestion des archives", non_member_price=Decimal("200.00")
    )
    _registration, invoice = invoiced(delegate, dossier, training)

    sign_in(page, account.email, password)
    page.goto("/mon-dossier/mes-formations/")
    card = page.get_by_role("region", name="Gestion des archives")
    expect(card.get_by_text("Ville de Rimouski")).to_be_visible()
    expect(card.get_by_role("link", name="Voir la facture et payer")).to_have_count(0)
    assert_accessible(page)

    card.get_by_role("link", name="Gestion des archives").click()
    expect(page.get_by_role("heading", name="Gestion des archives")).to_be_visible()
    expect(
        page.get_by_text("La facture est adressée à Ville de Rimouski, qui la reçoit et la paie.")
    ).to_be_visible()
    expect(page.get_by_text(invoice.number)).to_have_count(0)
    assert_accessible(page)
    at_360(page)
    # Every link the page offers leads somewhere: none is an invoice they may not open.
    hrefs = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    for href in hrefs:
        assert not href.startswith("/factures/"), href
        assert page.request.get(href).status != 404, href

"""« Montant dû » on « Mes formations », « Mes évènements », « Mes inscriptions » and the
registration's page is read from its invoices (taxes included, less what was paid and
credited), not from the price before taxes; who pays shows when the invoice is someone
else's."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.billing.services.ledger import record_payment
from guichet.dossiers.models import Delegation, DossierKind
from guichet.registrations.services.changes import cancel
from tests.billing.cast import holder, invoiced, submit_line
from tests.catalog.factories import OfferingFactory
from tests.dossiers.factories import DossierFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

D = Decimal
PAGES = ("dossiers:trainings", "registrations:mine")


def words(response) -> str:
    """The page's text without tags, spaces folded: « Montant dû 114,98 $ »."""
    text = re.sub(r"<[^>]+>", " ", text_of(response))
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


@pytest.fixture
def person(client):
    account, dossier = holder(first_name="Julie", last_name="Gagnon")
    client.force_login(account)
    return account, dossier


def training(**fields):
    return OfferingFactory(kind="training", non_member_price=D("100.00"), **fields)


def pages(client, registration) -> list[str]:
    urls = [reverse(name) for name in PAGES]
    urls.append(reverse("registrations:detail", args=[registration.pk]))
    return [words(client.get(url)) for url in urls]


def test_amount_due_is_the_unpaid_invoice_with_its_taxes(client, person):
    registration, invoice = invoiced(*person, training())
    for page in pages(client, registration):
        assert "Montant dû 114,98 $ (taxes incluses)" in page
        assert f"Facture {invoice.number} — 114,98 $, impayée" in page
        assert "100,00 $ avant taxes" not in page


def test_a_paid_registration_owes_nothing(client, person):
    registration, invoice = invoiced(*person, training())
    record_payment(invoice, amount=invoice.total, method="cheque")
    for page in pages(client, registration):
        assert "Montant dû 0,00 $ (taxes incluses)" in page
        assert f"Facture {invoice.number} — 114,98 $, payée" in page


def test_a_cancelled_paid_registration_shows_the_refund_to_come(client, person):
    offering = training(refund_policy="fee", cancellation_fee=D("20.00"))
    registration, invoice = invoiced(*person, offering)
    record_payment(invoice, amount=invoice.total, method="cheque")
    cancel(registration, actor=person[0])
    for page in pages(client, registration):
        assert "Montant dû 0,00 $" in page
        assert "Remboursement à recevoir 91,98 $" in page
        assert f"Facture {invoice.number} — 114,98 $, remboursement à faire" in page


def test_the_listing_links_straight_to_the_invoice_to_pay(client, person):
    _registration, invoice = invoiced(*person, training())
    page = text_of(client.get(reverse("dossiers:trainings")))
    pay = reverse("billing:invoice", args=[invoice.pk])
    assert f'<a class="button" href="{pay}">Voir la facture et payer</a>' in page


def test_before_its_invoice_a_registration_shows_its_price_before_taxes(client, person):
    registration = submit_line(person[0], person[1], training())
    assert registration.status == "held"
    page = words(client.get(reverse("dossiers:trainings")))
    assert "Prix 100,00 $ avant taxes" in page
    assert "Montant dû" not in page


def test_the_person_registered_by_their_employer_sees_who_pays_and_no_invoice(client, person):
    account, dossier = person
    delegate, _ = holder(first_name="Denise", last_name="Déléguée")
    town = DossierFactory(kind=DossierKind.ORGANIZATION, organization_name="Ville de Rimouski")
    Delegation.objects.create(account=delegate, organization=town)
    registration, invoice = invoiced(delegate, dossier, training(title="Gestion des archives"))

    listing = text_of(client.get(reverse("dossiers:trainings")))
    detail = text_of(client.get(reverse("registrations:detail", args=[registration.pk])))

    for page in (listing, detail):
        assert "Gestion des archives" in page
        assert "Facturé à" in page and "Ville de Rimouski" in page
        assert invoice.number not in page and "Montant dû" not in page
        assert reverse("billing:invoice", args=[invoice.pk]) not in page
    assert "Voir la facture et payer" not in listing
    assert "La facture est adressée à Ville de Rimouski, qui la reçoit et la paie." in (
        " ".join(detail.split())
    )
    # What they are shown they may open: no link on either page answers 404.
    links = set(re.findall(r'href="(/[^"]*)"', listing + detail))
    for url in sorted(links):
        if "/deconnexion" in url or url.startswith("/static/"):
            continue
        assert client.get(url).status_code != 404, url


def test_the_listing_reads_the_invoices_in_a_fixed_number_of_queries(client, person):
    account, dossier = person

    def register(count: int) -> None:
        for _ in range(count):
            registration, invoice = invoiced(account, dossier, training())
            record_payment(invoice, amount=D("10.00"), method="cheque")

    register(1)
    for name in PAGES:
        client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registrations:mine"))
    register(6)
    with CaptureQueriesContext(connection) as many:
        page = words(client.get(reverse("registrations:mine")))
    assert page.count("partiellement payée") == 7
    assert len(many.captured_queries) == len(few.captured_queries)

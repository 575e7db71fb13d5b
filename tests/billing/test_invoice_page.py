"""The invoice page: the payer as issued, each line with its taxes, the totals with the
operator's tax numbers, what was received and credited, the balance and the PDF."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.billing.models import PaymentMethod
from guichet.billing.services.invoicing import DraftLine, Payer, credit_invoice, issue_invoice
from guichet.billing.services.ledger import record_payment
from tests.billing.cast import holder
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer():
    account, dossier = holder(first_name="Geneviève", last_name="Lavoie")
    dossier.home_street = "12, rue des Érables"
    dossier.home_city, dossier.home_province, dossier.home_postal_code = (
        "Québec",
        "QC",
        "G1R 2B5",
    )
    dossier.main_address = "home"
    dossier.save()
    return account, dossier


@pytest.fixture
def invoice(payer):
    account, dossier = payer
    return issue_invoice(
        payer=Payer(dossier, account),
        lines=[
            DraftLine("Camp de jour — semaine 1", Decimal("80.00"), quantity=2),
            DraftLine("Service de garde", Decimal("25.00"), tax_exempt=True),
        ],
        actor=account,
        participant=dossier,
        description="Camp de jour",
    )


def test_the_page_shows_the_invoice_as_issued(client, payer, invoice):
    client.force_login(payer[0])
    response = client.get(reverse("billing:invoice", args=[invoice.pk]))
    assert response.status_code == 200
    html = text_of(response)
    assert f"<h1>Facture {invoice.number}</h1>" in html
    assert "Geneviève Lavoie" in html and "12, rue des Érables" in html
    assert "Québec (QC)" in html
    # 2 × 80 $ = 160 $: GST 8,00 $, QST 15,96 $; the childcare line is exempt.
    assert "Camp de jour — semaine 1" in html and "80,00 $" in html and "160,00 $" in html
    assert "TPS 8,00 $, TVQ 15,96 $" in html
    assert "Service de garde" in html and "exempté" in html
    assert "Sous-total" in html and "185,00 $" in html
    assert "TPS 5 %" in html and "n° 123456789 RT0001" in html
    assert "TVQ 9,975 %" in html and "n° 1234567890 TQ0001" in html
    assert "208,96 $" in html  # 185 + 8 + 15,96
    assert "<strong>Impayée</strong>" in html
    pdf = reverse("billing:invoice_pdf", args=[invoice.pk])
    assert f'href="{pdf}">Télécharger la facture (PDF)</a>' in html


def test_payments_and_credit_notes_received_link_to_their_pdfs(client, staff, payer, invoice):
    payment = record_payment(
        invoice,
        amount=Decimal("100.00"),
        method=PaymentMethod.CHEQUE,
        actor=staff,
        reference="Chèque 0042",
    )
    note = credit_invoice(invoice, actor=staff, reason="Semaine annulée", keep=Decimal("150.00"))
    client.force_login(payer[0])
    html = text_of(client.get(reverse("billing:invoice", args=[invoice.pk])))
    assert reverse("billing:receipt_pdf", args=[payment.pk]) in html
    assert f"Reçu {payment.receipt_number} (PDF)" in html and "Chèque 0042" in html
    assert reverse("billing:credit_note_pdf", args=[note.pk]) in html
    assert f"Note de crédit {note.number} (PDF)" in html and "Semaine annulée" in html
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("208.96") - Decimal("100.00") - note.total
    assert "Partiellement payée" in html


def test_the_page_reads_few_queries(client, payer, invoice, django_assert_max_num_queries):
    client.force_login(payer[0])
    url = reverse("billing:invoice", args=[invoice.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200

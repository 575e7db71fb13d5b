"""Every billing PDF (invoice, credit note, receipt, statement) renders as a clean document
in the payer's language, with the operator's branding, the numbers and the totals.

Each sample is also rendered to PNG (``pdftoppm -png -r 60``) under
/tmp/guichet-billing-pdfs/ so a person can look at it; the test checks the image is a
page of plausible size with something printed on it.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image, ImageStat

from guichet.billing.models import PaymentMethod
from guichet.billing.services.invoicing import credit_invoice
from guichet.billing.services.ledger import record_payment
from tests.billing.cast import holder, invoiced

pytestmark = pytest.mark.django_db

SAMPLES = Path("/tmp/guichet-billing-pdfs")  # noqa: S108  (kept to be looked at)


def pdf_text(content: bytes) -> str:
    done = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    text = done.stdout.decode()
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def to_png(content: bytes, name: str) -> Image.Image:
    """First page at 60 dpi, saved for a look; returned for checks."""
    SAMPLES.mkdir(exist_ok=True)
    done = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    (SAMPLES / f"{name}.png").write_bytes(done.stdout)
    return Image.open(BytesIO(done.stdout))


def assert_plausible_page(image: Image.Image) -> None:
    # US Letter at 60 dpi: 510 × 660 pixels.
    assert (abs(image.width - 510) <= 2, abs(image.height - 660) <= 2) == (True, True)
    grey = image.convert("L")
    stat = ImageStat.Stat(grey)
    assert stat.mean[0] < 250, "the page is blank"
    assert stat.extrema[0][0] < 80, "nothing dark is printed on the page"


def get_pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    content = b"".join(response) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    return content


@pytest.fixture
def history(client, staff):
    """A 100 $ invoice, 50 $ paid by cheque, then cancelled with a 20 $ fee kept and the
    surplus refunded: one of each document."""
    account, dossier = holder(first_name="Geneviève", last_name="Lavoie")
    _registration, invoice = invoiced(
        account, dossier, title="Aquaforme du mardi", non_member_price=Decimal("100.00")
    )
    payment = record_payment(
        invoice, amount=Decimal("50.00"), method=PaymentMethod.CHEQUE, actor=staff, reference="123"
    )
    note = credit_invoice(invoice, actor=staff, reason="Annulation", keep=Decimal("20.00"))
    invoice.refresh_from_db()
    refund = record_payment(
        invoice, amount=invoice.balance, method=PaymentMethod.CHEQUE, actor=staff
    )
    invoice.refresh_from_db()
    client.force_login(account)
    return {"invoice": invoice, "payment": payment, "note": note, "refund": refund}


def test_the_invoice_pdf_shows_the_operator_the_payer_lines_and_taxes(client, history):
    invoice = history["invoice"]
    content = get_pdf(client, reverse("billing:invoice_pdf", args=[invoice.pk]))
    assert_plausible_page(to_png(content, "facture"))
    text = pdf_text(content)
    assert "FACTURE" in text and invoice.number in text
    assert "Municipalité de Val-des-Érables" in text  # the demo operator's legal name
    assert "N° de TPS : 123456789 RT0001" in text
    assert "N° de TVQ : 1234567890 TQ0001" in text
    assert "Geneviève Lavoie" in text
    assert "Aquaforme du mardi" in text
    assert "100,00 $" in text and "5,00 $" in text and "9,98 $" in text
    assert "114,98 $" in text
    assert "TPS 5 %" in text and "TVQ 9,975 %" in text
    assert history["note"].number in text and history["payment"].receipt_number in text
    assert "Solde" in text


def test_the_credit_note_pdf_states_the_invoice_it_credits(client, history):
    note = history["note"]
    content = get_pdf(client, reverse("billing:credit_note_pdf", args=[note.pk]))
    assert_plausible_page(to_png(content, "note-de-credit"))
    text = pdf_text(content)
    assert "NOTE DE CRÉDIT" in text and note.number in text
    assert f"crédite la facture {history['invoice'].number}" in text
    # 100 $ less the 20 $ fee kept: 80 $ + 4,00 $ GST + 7,98 $ QST.
    assert "80,00 $" in text and "4,00 $" in text and "7,98 $" in text and "91,98 $" in text
    assert "Annulation" in text


def test_the_receipt_pdf_states_amount_method_date_reference_and_balance(client, history):
    payment = history["payment"]
    content = get_pdf(client, reverse("billing:receipt_pdf", args=[payment.pk]))
    assert_plausible_page(to_png(content, "recu"))
    text = pdf_text(content)
    assert "REÇU" in text and payment.receipt_number in text
    assert "50,00 $" in text and "Chèque" in text and "123" in text
    assert "Solde restant" in text and "64,98 $" in text  # 114,98 $ − 50,00 $


def test_the_statement_pdf_lists_every_movement_with_a_running_balance(client, history):
    content = get_pdf(client, reverse("billing:statement_pdf"))
    assert_plausible_page(to_png(content, "releve"))
    text = pdf_text(content)
    assert "RELEVÉ DE COMPTE" in text
    assert history["invoice"].number in text and history["note"].number in text
    assert "Solde d'ouverture" in text and "Solde de clôture" in text
    # 114,98 − 50 − 91,98 = −27 (owed back), then the 27 $ refund: closing at zero.
    assert "-27,00 $" in text and "0,00 $" in text


def test_an_english_payer_gets_an_english_invoice(client, settings):
    account, dossier = holder(language="en")
    _registration, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    client.force_login(account)
    content = get_pdf(client, reverse("billing:invoice_pdf", args=[invoice.pk]))
    assert_plausible_page(to_png(content, "invoice-en"))
    text = pdf_text(content)
    assert "INVOICE" in text and "$114.98" in text and "GST 5 %" in text
    assert "Unpaid" in text
    assert "FACTURE" not in text and "Impayée" not in text

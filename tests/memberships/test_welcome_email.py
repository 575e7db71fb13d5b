"""A starting member gets ONE email: the welcome, with the signed attestation of membership
attached as a PDF, in their language — through the real SMTP server."""

from __future__ import annotations

from io import BytesIO

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from guichet.billing.models import Invoice
from guichet.billing.services.ledger import record_payment
from guichet.credentials import signing
from guichet.credentials.models import Attestation, AttestationKind
from guichet.memberships.services import applications
from tests.billing.cast import holder
from tests.factories import AccountFactory
from tests.memberships.cast import applied, member_types

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_signing_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    signing.signer.cache_clear()
    yield tmp_path
    signing.signer.cache_clear()


def _approved_and_paid(account, dossier, mailbox):
    staff = AccountFactory(is_staff=True)
    application = applied(account, dossier, member_types()["membre-regulier"])
    applications.approve(application, actor=staff)
    application.refresh_from_db()
    invoice = Invoice.objects.for_source(application.membership).get()
    before = len(mailbox.to(account.email))
    record_payment(invoice, amount=invoice.total, method="cheque", actor=staff)
    receipt = f"facture {invoice.number}" if account.language == "fr" else invoice.number
    return [m for m in mailbox.to(account.email)[before:] if receipt not in m["Subject"]]


def _pdf_attachments(message):
    return [
        part.get_content()
        for part in message.iter_attachments()
        if part.get_content_type() == "application/pdf"
    ]


def test_the_paid_fee_brings_one_email_with_the_signed_attestation(own_signing_dir, mailbox):
    account, dossier = holder(language="fr")

    received = _approved_and_paid(account, dossier, mailbox)

    # Besides billing's receipt, one message: the welcome and the attestation together.
    (message,) = received
    assert "Bienvenue" in message["Subject"]
    attestation = Attestation.objects.get(dossier=dossier, kind=AttestationKind.MEMBERSHIP)
    body = mailbox.body(message)
    assert "Membre régulier" in body
    assert "jointe à ce courriel" in body
    assert attestation.display_code in body
    (pdf,) = _pdf_attachments(message)
    assert pdf.startswith(b"%PDF")
    (signature,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    root = asn1_x509.Certificate.load(pem.unarmor(signing.certificate_pem())[2])
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid


def test_the_welcome_is_in_the_members_language(own_signing_dir, mailbox):
    account, dossier = holder(language="en")

    (message,) = _approved_and_paid(account, dossier, mailbox)

    assert "Welcome" in message["Subject"]
    body = mailbox.body(message)
    assert "attached to this email" in body
    assert "Bienvenue" not in body
    (pdf,) = _pdf_attachments(message)
    assert pdf.startswith(b"%PDF")
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "What is attested" in text and "Member (" in text

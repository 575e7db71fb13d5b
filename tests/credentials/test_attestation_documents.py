"""« Voir »: each attestation is a PDF with its verification code and QR code, signed by
the operator (PAdES) so that any reader can check it was not altered."""

from __future__ import annotations

from io import BytesIO

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    load_pem_private_key,
    pkcs12,
)
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from guichet.core.pdf import render_pdf
from guichet.credentials import signing
from guichet.credentials.documents import attestation_pdf, verification_url
from guichet.credentials.models import Attestation
from guichet.credentials.services import attestations
from tests.credentials.cast import attended, member_of, past_training
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_signing_dir(settings, tmp_path):
    """A data directory of the test's own: the demonstration certificate is made there."""
    settings.DATA_DIR = tmp_path
    signing.signer.cache_clear()
    yield tmp_path
    signing.signer.cache_clear()


def pdf_url(attestation: Attestation) -> str:
    return f"/mon-dossier/titre-et-attestations/{attestation.pk}/"


def trusted_validation(pdf: bytes, trust_pem: bytes):
    """pyHanko's validator, trusting only the given certificate."""
    reader = PdfFileReader(BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    root = asn1_x509.Certificate.load(pem.unarmor(trust_pem)[2])
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))


def test_see_gives_a_signed_pdf_that_pyhanko_validates(
    comaq, own_signing_dir, client, account, staff
):
    dossier = member_of(account, first_name="Mathilde", last_name="Bérubé")
    registration = attended(
        dossier, past_training("OMA-101-A", title="Rôle de l'officier"), by=staff
    )
    attestation = Attestation.objects.get(registration=registration)
    client.force_login(account)

    response = client.get(pdf_url(attestation))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    status = trusted_validation(pdf, signing.certificate_pem())
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert (own_signing_dir / "signing" / signing.DEMO_BUNDLE).exists()


def test_an_altered_pdf_fails_validation(comaq, own_signing_dir, client, account, staff):
    dossier = member_of(account)
    registration = attended(dossier, past_training(), by=staff)
    attestation = Attestation.objects.get(registration=registration)
    client.force_login(account)
    pdf = client.get(pdf_url(attestation)).content
    # Change one byte inside the signed range (the document's own text, before the signature).
    position = pdf.index(b"/Producer") if b"/Producer" in pdf else 200
    altered = pdf[:position] + bytes([pdf[position] ^ 1]) + pdf[position + 1 :]

    status = trusted_validation(altered, signing.certificate_pem())

    assert not status.intact


def test_the_pdf_carries_the_code_and_the_verification_address(
    comaq, own_signing_dir, account, staff
):
    dossier = member_of(account)
    registration = attended(dossier, past_training(), by=staff)
    attestation = Attestation.objects.get(registration=registration)
    url = verification_url(attestation)
    assert url.endswith(f"/verifier/{attestation.code}/")
    pdf = attestation_pdf(attestation)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_another_account_gets_404_and_a_revoked_one_is_not_served(
    comaq, own_signing_dir, client, account, staff
):
    dossier = member_of(account)
    registration = attended(dossier, past_training(), by=staff)
    attestation = Attestation.objects.get(registration=registration)
    client.force_login(AccountFactory())
    assert client.get(pdf_url(attestation)).status_code == 404

    attestations.revoke(attestation, reason="Erreur de saisie", actor=staff)
    client.force_login(account)
    assert client.get(pdf_url(attestation)).status_code == 404


def test_signing_with_the_operators_pkcs12(comaq, settings, tmp_path, own_signing_dir):
    """The operator's own certificate (PKCS#12), as docs/credentials.md describes."""

    signing.signer()  # makes the demonstration bundle, reused here as "the operator's"
    bundle = (own_signing_dir / "signing" / signing.DEMO_BUNDLE).read_bytes()
    key = load_pem_private_key(bundle, password=None)
    cert = x509.load_pem_x509_certificate(bundle)
    p12 = tmp_path / "operator.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"operator", key, cert, None, BestAvailableEncryption(b"secret")
        )
    )
    settings.GUICHET_SIGNING_PKCS12_FILE = str(p12)
    settings.GUICHET_SIGNING_PASSPHRASE = "secret"
    signing.signer.cache_clear()
    assert signing.configured()

    signed = signing.sign(render_minimal_pdf(), reason="Test")

    status = trusted_validation(signed, signing.certificate_pem())
    assert status.intact and status.valid and status.trusted


def render_minimal_pdf() -> bytes:
    return render_pdf("core/pdf/base.html", {})

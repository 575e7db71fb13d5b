"""With a timestamping authority (``GUICHET_TSA_URL``), attestation signatures carry an
RFC 3161 timestamp (PAdES B-T) and their validation data in the document security store
(B-LT). The authority here is pyHanko's own testing timestamper behind a local HTTP
server: nothing leaves the machine."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import BytesIO

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import pem, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfWriter

from guichet.credentials import signing

pytestmark = pytest.mark.django_db


def _certificate(subject: str, key, issuer_name=None, issuer_key=None, *, tsa: bool = False):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name or name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=not tsa, path_length=None), critical=True)
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def _asn1(cert) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@pytest.fixture
def local_tsa(settings, tmp_path) -> Iterator[asn1_x509.Certificate]:
    """A timestamping authority on 127.0.0.1, its root trusted through the settings."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _certificate("Autorité d'horodatage d'essai", root_key)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = _certificate("Horodateur d'essai", tsa_key, root.subject, root_key, tsa=True)
    stamper = DummyTimeStamper(
        tsa_cert=_asn1(tsa),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        certs_to_embed=[_asn1(root)],
    )
    served: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's API)
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            served.append(len(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    trust = tmp_path / "tsa-root.pem"
    trust.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    settings.DATA_DIR = tmp_path
    settings.GUICHET_TSA_URL = f"http://127.0.0.1:{server.server_port}/"
    settings.GUICHET_SIGNING_TRUST_FILE = str(trust)
    signing.signer.cache_clear()
    yield _asn1(root)
    signing.signer.cache_clear()
    server.shutdown()
    assert served, "the timestamping authority was never asked"


def _validated(pdf: bytes, *roots: asn1_x509.Certificate):
    (signature,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    return validate_pdf_signature(signature, ValidationContext(trust_roots=list(roots)))


def test_a_signature_carries_the_authoritys_timestamp_and_its_validation_data(local_tsa):
    pdf = signing.sign(_blank_pdf(), reason="Attestation ABCD")

    own = asn1_x509.Certificate.load(pem.unarmor(signing.certificate_pem())[2])
    status = _validated(pdf, own, local_tsa)
    assert status.intact and status.valid
    assert status.timestamp_validity is not None  # B-T: the TSA's token on the signature
    assert status.timestamp_validity.intact and status.timestamp_validity.valid
    assert status.timestamp_validity.trusted
    reader = PdfFileReader(BytesIO(pdf))
    assert "/DSS" in reader.root  # B-LT: the certificates in the document security store
    assert len(reader.root["/DSS"]["/Certs"]) >= 2


def test_without_an_authority_the_signature_has_no_timestamp(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.GUICHET_TSA_URL = ""
    signing.signer.cache_clear()
    try:
        pdf = signing.sign(_blank_pdf(), reason="Attestation ABCD")
        own = asn1_x509.Certificate.load(pem.unarmor(signing.certificate_pem())[2])
        status = _validated(pdf, own)
    finally:
        signing.signer.cache_clear()
    assert status.intact and status.valid
    assert status.timestamp_validity is None
    assert "/DSS" not in PdfFileReader(BytesIO(pdf)).root


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()

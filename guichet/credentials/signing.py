"""Signing attestation PDFs (PAdES baseline B, with pyHanko), so any reader can check that a
document is the one the operator issued and was not altered.

The operator's certificate comes from the ``GUICHET_SIGNING_*`` settings (see
docs/credentials.md): a PEM key and certificate (with the chain to its authority), or a
PKCS#12 file. With neither, a self-signed demonstration certificate is made once in
``DATA_DIR/signing/`` (key and certificate in one file, replaced atomically, so several
processes starting together end up with one pair).
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import os
import tempfile
import urllib.request
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from asn1crypto import keys as asn1_keys
from asn1crypto import pem, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from guichet import presets

DEMO_BUNDLE = "demo-signing.pem"
TSA_REQUEST = "application/timestamp-query"
TSA_REPLY = "application/timestamp-reply"


def _passphrase() -> bytes | None:
    value = settings.GUICHET_SIGNING_PASSPHRASE
    return value.encode() if value else None


def configured() -> bool:
    """Whether the operator gave its own certificate (else the demonstration one)."""
    return bool(
        settings.GUICHET_SIGNING_PKCS12_FILE
        or (settings.GUICHET_SIGNING_KEY_FILE and settings.GUICHET_SIGNING_CERT_FILE)
    )


@functools.cache
def signer() -> signers.SimpleSigner:
    """The signer, loaded once per process."""
    if settings.GUICHET_SIGNING_PKCS12_FILE:
        loaded = signers.SimpleSigner.load_pkcs12(
            settings.GUICHET_SIGNING_PKCS12_FILE, passphrase=_passphrase()
        )
    elif settings.GUICHET_SIGNING_KEY_FILE and settings.GUICHET_SIGNING_CERT_FILE:
        chain = (
            (settings.GUICHET_SIGNING_CHAIN_FILE,) if settings.GUICHET_SIGNING_CHAIN_FILE else ()
        )
        loaded = signers.SimpleSigner.load(
            settings.GUICHET_SIGNING_KEY_FILE,
            settings.GUICHET_SIGNING_CERT_FILE,
            ca_chain_files=chain,
            key_passphrase=_passphrase(),
        )
    else:
        return _demo_signer()
    if loaded is None:
        raise RuntimeError("The signing certificate in GUICHET_SIGNING_* could not be read.")
    return loaded


def certificate_pem() -> bytes:
    """The signing certificate, for a reader (or a test) to trust."""
    cert = signer().signing_cert
    if cert is None:
        raise RuntimeError("The signer has no certificate.")
    return bytes(pem.armor("CERTIFICATE", cert.dump()))


class UrllibTimeStamper(timestamps.TimeStamper):
    """An RFC 3161 client over HTTP with the standard library (no extra dependency)."""

    def __init__(self, url: str, timeout: float = 10) -> None:
        if urlsplit(url).scheme not in {"http", "https"}:
            raise ValueError("GUICHET_TSA_URL must be an http or https address.")
        self.url = url
        self.timeout = timeout
        super().__init__()

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        def post() -> tsp.TimeStampResp:
            # http(s) only, checked above and at start-up (guichet.credentials.E003).
            request = urllib.request.Request(  # noqa: S310
                self.url, data=req.dump(), headers={"Content-Type": TSA_REQUEST}
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    if response.headers.get("Content-Type") != TSA_REPLY:
                        raise timestamps.TimestampRequestError("Not a timestamp reply.")
                    return tsp.TimeStampResp.load(response.read())
            except OSError as error:
                raise timestamps.TimestampRequestError("The TSA could not be reached.") from error

        return await asyncio.to_thread(post)


def timestamper() -> timestamps.TimeStamper | None:
    """The timestamping authority named by ``GUICHET_TSA_URL`` (none by default)."""
    url = settings.GUICHET_TSA_URL
    return UrllibTimeStamper(url) if url else None


def validation_context() -> ValidationContext:
    """What long-term validation data is gathered against: the roots of the signer's own
    chain and those of ``GUICHET_SIGNING_TRUST_FILE`` (the timestamping authority's);
    revocation data is fetched where the certificates say (soft-fail: an unreachable
    responder does not stop an attestation)."""
    own = signer()
    certificates = [own.signing_cert, *own.cert_registry]
    roots = [cert for cert in certificates if cert is not None and cert.self_signed]
    path = settings.GUICHET_SIGNING_TRUST_FILE
    if path:
        for _kind, _headers, der in pem.unarmor(Path(path).read_bytes(), multiple=True):
            roots.append(asn1_x509.Certificate.load(der))
    return ValidationContext(
        trust_roots=roots,
        other_certs=[cert for cert in certificates if cert is not None],
        allow_fetching=True,
        revocation_mode="soft-fail",
    )


def sign(pdf: bytes, *, reason: str) -> bytes:
    """The PDF with a PAdES signature of the operator: baseline B; with a timestamping
    authority (``GUICHET_TSA_URL``), B-T (an RFC 3161 timestamp) and B-LT (the
    certificates and revocation data embedded in the document security store)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    stamper = timestamper()
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=presets.active().operator_name,
        embed_validation_info=stamper is not None,
        validation_context=validation_context() if stamper is not None else None,
    )
    signed = signers.sign_pdf(writer, metadata, signer=signer(), timestamper=stamper)
    return signed.getvalue()


# The demonstration certificate ----------------------------------------------------------
def demo_bundle_path() -> Path:
    return Path(settings.DATA_DIR) / "signing" / DEMO_BUNDLE


def _demo_signer() -> signers.SimpleSigner:
    path = demo_bundle_path()
    if not path.exists():
        _write_demo_bundle(path)
    data = path.read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    cert = x509.load_pem_x509_certificate(data)
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    asn1_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return signers.SimpleSigner(
        signing_cert=asn1_cert,
        signing_key=asn1_key,
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert]),
    )


def _write_demo_bundle(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    operator = presets.active()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CA"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Québec"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, operator.operator_name[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{operator.short_name} (démonstration)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    bundle = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + cert.public_bytes(serialization.Encoding.PEM)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing-")
    try:
        os.write(handle, bundle)
    finally:
        os.close(handle)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)

"""Signing attestation PDFs (PAdES baseline B, with pyHanko), so any reader can check that a
document is the one the operator issued and was not altered.

The operator's certificate comes from the ``GUICHET_SIGNING_*`` settings (see
docs/credentials.md): a PEM key and certificate (with the chain to its authority), or a
PKCS#12 file. With neither, a self-signed demonstration certificate is made once in
``DATA_DIR/signing/`` (key and certificate in one file, replaced atomically, so several
processes starting together end up with one pair).
"""

from __future__ import annotations

import datetime
import functools
import os
import tempfile
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from guichet import presets

DEMO_BUNDLE = "demo-signing.pem"


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


def sign(pdf: bytes, *, reason: str) -> bytes:
    """The PDF with a PAdES signature of the operator."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=presets.active().operator_name,
    )
    signed = signers.sign_pdf(writer, metadata, signer=signer())
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

"""Memberships' cast: COMAQ's member types, PDFs (real, hostile, bombs), an application
sent through the real services."""

from __future__ import annotations

import io
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from guichet import presets
from guichet.memberships.models import Application, DocumentKind, MemberType
from guichet.memberships.seeds import ensure_member_types
from guichet.memberships.services import applications


def member_types() -> dict[str, MemberType]:
    return {t.slug: t for t in ensure_member_types(presets.by_name("comaq"))}


def real_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(content: bytes, extra_catalog: bytes = b"", flate: bool = True) -> bytes:
    """A one-page PDF written by hand, its page content ``content`` (compressed)."""
    data = zlib.compress(content, 9) if flate else content
    filter_ = b" /Filter /FlateDecode" if flate else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R" + extra_catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d%s >>\nstream\n" % (len(data), filter_) + data + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_bomb() -> bytes:
    """A few hundred kilobytes that inflate to 200 MB."""
    return raw_pdf(b"0" * (200 * 1024 * 1024))


def upload(content: bytes, name: str = "resolution.pdf", kind: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=kind)


def stashed(kind: DocumentKind = DocumentKind.HIRING_RESOLUTION, name: str = "resolution.pdf"):
    return applications.stash(upload(real_pdf(), name), kind)


def applied(account: Any, dossier: Any, member_type: MemberType) -> Application:
    docs = [stashed()]
    if member_type.requires_diploma:
        docs.append(stashed(DocumentKind.DIPLOMA, "diplome.pdf"))
    return applications.submit_application(dossier, member_type, docs, actor=account)

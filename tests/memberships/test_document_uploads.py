"""Only real, harmless PDFs are accepted, whatever their name; the message says why."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError

from guichet.memberships.models import DocumentKind, document_storage
from guichet.memberships.services import applications, documents
from tests.memberships.cast import pdf_bomb, raw_pdf, real_pdf, upload


def refusal(content: bytes, name: str = "resolution.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        documents.check_pdf(upload(content, name))
    return caught.value


def test_a_real_pdf_is_accepted_and_its_pages_counted():
    checked = documents.check_pdf(upload(real_pdf(pages=3), "C:\\Users\\moi\\résolution.pdf"))
    assert checked.pages == 3
    assert checked.name == "résolution.pdf"


def test_html_renamed_as_pdf_is_refused():
    error = refusal(b"<!doctype html><script>alert(1)</script>", "resolution.pdf")
    assert error.code == "not_pdf"
    assert "n'est pas un document PDF" in error.messages[0]


def test_svg_renamed_as_pdf_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    assert refusal(svg, "diplome.pdf").code == "not_pdf"


def test_an_oversized_pdf_is_refused_before_it_is_read():
    big = real_pdf() + b"%" + b"0" * (documents.MAX_SIZE + 1)
    error = refusal(big)
    assert error.code == "too_large"
    assert "10 Mo" in error.messages[0]


def test_a_pdf_bomb_is_refused_quickly():
    bomb = pdf_bomb()
    assert len(bomb) < 1024 * 1024  # small on the wire
    started = time.monotonic()
    error = refusal(bomb)
    assert error.code == "unreadable"
    assert time.monotonic() - started < 10


def test_active_content_is_refused():
    hostile = raw_pdf(
        b"BT ET", extra_catalog=b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert refusal(hostile).code == "active_content"


def test_a_damaged_pdf_is_refused():
    assert refusal(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog").code == "unreadable"


def test_a_refused_file_is_not_stored(tmp_path):
    with pytest.raises(ValidationError):
        applications.stash(upload(b"<html></html>"), DocumentKind.DIPLOMA)
    storage = document_storage()
    assert (
        not storage.exists("memberships/pending") or not storage.listdir("memberships/pending")[1]
    )

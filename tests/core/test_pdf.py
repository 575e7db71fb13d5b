"""PDFs come from HTML templates through one function, and never reach the network."""

from __future__ import annotations

import pytest

from guichet.core.pdf import _refuse_fetch, render_pdf


def test_render_pdf_makes_a_pdf_with_the_operator():
    content = render_pdf("core/pdf/base.html", {}, language="fr")
    assert content.startswith(b"%PDF-")
    assert b"%%EOF" in content[-64:]


def test_pdf_templates_may_not_fetch_anything():
    with pytest.raises(ValueError, match="may not fetch"):
        _refuse_fetch("http://127.0.0.1:9/pixel.png")

"""The one way Guichet makes a PDF: an HTML template rendered by WeasyPrint.

Templates extend ``core/pdf/base.html`` (operator's name and colours, page size, fonts
from the system: nothing is fetched from the network).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from guichet import presets


def render_pdf(template: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 — heavy (fonts, Pango): only PDF pages load it

    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(template, {"operator": presets.active(), **context})
    # No base_url: relative URLs are not fetched, so a template cannot reach the network.
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return pdf


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"PDF templates may not fetch {url}")


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

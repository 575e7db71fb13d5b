"""The OpenAPI 3.1 schema validates, and the documentation page is ours: its scripts
and styles come from our own static files, none inline (the site's CSP holds)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from drf_spectacular.validation import validate_schema

from tests.api.documented import schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_1():
    document = schema()
    assert document["openapi"].startswith("3.1")
    validate_schema(document)
    paths = document["paths"]
    for path in (
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{number}/",
        "/api/v1/offerings/",
        "/api/v1/offerings/{id}/",
        "/api/v1/sessions/",
        "/api/v1/registrations/",
        "/api/v1/invoices/",
        "/api/v1/invoices/{id}/payments/",
        "/api/v1/credit-notes/",
        "/api/v1/payments/",
    ):
        assert path in paths, path
    assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


@pytest.mark.parametrize(
    "language,title",
    [("fr", "Documentation de l'API de Guichet"), ("en", "Guichet API documentation")],
)
def test_the_documentation_page_has_no_inline_script_and_no_cdn(language, title):
    client = Client()
    response = client.get("/api/v1/", {"lang": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{title}</title>" in html
    assert "Content-Security-Policy" in response
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3
    for attributes, body in scripts:
        assert body.strip() == ""  # no inline code
        source = re.search(r'src="([^"]+)"', attributes).group(1)
        assert source.startswith("/"), source  # our origin, no CDN
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    assert "<style" not in html and "style=" not in html
    for sheet in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        assert sheet.startswith("/static/")
        assert finders.find(sheet.removeprefix("/static/")), sheet
    init = client.get(re.findall(r'<script src="([^"]+)"', html)[-1].replace("&amp;", "&"))
    assert init["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in init.content.decode()

"""Which language applies: the account's for a signed-in person, the cookie's for a
visitor; documents issued after a switch are in the new language."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.billing.cast import holder, plain_invoice
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_a_signed_in_page_speaks_the_accounts_language_whatever_the_cookie(client, account):
    account.language = "en"
    account.save(update_fields=["language"])
    client.force_login(account)
    client.cookies[COOKIE] = "fr"
    response = client.get("/compte/securite/")
    assert response["Content-Language"] == "en"
    assert "My password and security" in text_of(response)
    # The browser's cookie is brought in line, so it stays English after signing out.
    assert response.cookies[COOKIE].value == "en"


def test_a_visitor_keeps_the_language_of_the_cookie(client):
    client.cookies[COOKIE] = "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert COOKIE not in response.cookies


def test_a_visitor_without_a_cookie_gets_french_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")
    assert response["Content-Language"] == "fr"


def test_a_document_issued_after_switching_is_in_the_new_language(client, password):
    account, dossier = holder(password=password)
    client.force_login(account)
    client.post("/langue/", {"language": "en", "next": "/compte/securite/"})
    account.refresh_from_db()
    assert account.language == "en"
    assert plain_invoice(account, dossier).language == "en"

    client.post("/langue/", {"language": "fr", "next": "/compte/securite/"})
    account.refresh_from_db()
    assert plain_invoice(account, dossier).language == "fr"

"""Every response carries a Content-Security-Policy without 'unsafe-inline' and a
Permissions-Policy: pages, 404, 429, 500 and the admin alike."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

pytestmark = pytest.mark.django_db

# Features Guichet never uses are off everywhere; passkeys (WebAuthn) are ours only.
DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "display-capture"]
OWN_ORIGIN_ONLY = ["publickey-credentials-create", "publickey-credentials-get"]


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on a {response.status_code} response"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def features_of(response) -> dict[str, str]:
    header = response.headers.get("Permissions-Policy", "")
    assert header, f"no Permissions-Policy on a {response.status_code} response"
    return dict(item.strip().split("=", 1) for item in header.split(","))


def assert_strict(response) -> None:
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        sources = policy[directive]
        assert "'self'" in sources
        assert "'unsafe-inline'" not in sources, f"{directive} allows inline code"
        assert "'unsafe-eval'" not in sources
        assert all(s == "'self'" or s.startswith("'nonce-") for s in sources), sources
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'self'" in policy["form-action"]
    features = features_of(response)
    for feature in DENIED:
        assert features[feature] == "()", feature
    for feature in OWN_ORIGIN_ONLY:
        assert features[feature] == "(self)", feature


def test_public_page_forbids_inline_code(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_strict(response)


def test_signed_in_page_forbids_inline_code(client, account):
    client.force_login(account)
    response = client.get("/compte/securite/")
    assert response.status_code == 200
    assert_strict(response)


def test_not_found_page_forbids_inline_code(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert_strict(response)


def test_too_many_attempts_page_forbids_inline_code(client):
    for n in range(6):
        response = client.post("/compte/confirmation/renvoyer/", {"email": f"a{n}@exemple.ca"})
    assert response.status_code == 429
    assert_strict(response)


def test_a_refused_form_token_gets_our_french_page_without_inline_styles(account):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/login/", {"login": account.email, "password": "x"})
    assert response.status_code == 403
    assert_strict(response)
    page = response.content.decode()
    assert "Le formulaire a expiré" in page
    assert not re.search(r"<style(?![^>]*nonce=)", page) and 'style="' not in page


@pytest.mark.urls("tests.core.urls_with_failure")
def test_server_error_page_forbids_inline_code_and_keeps_its_layout():
    response = Client(raise_request_exception=False).get("/panne/")
    assert response.status_code == 500
    assert_strict(response)
    # Its own small style block is allowed by the response's nonce, nothing else.
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", response.content.decode())
    assert nonce, "the 500 page lost its styles"
    assert f"'nonce-{nonce.group(1)}'" in policy_of(response)["style-src"]
    assert 'style="' not in response.content.decode()


def test_admin_pages_forbid_inline_code(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    for path in ("/admin/", "/admin/dossiers/dossier/", "/admin/catalog/offering/add/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)


def test_operator_colours_are_allowed_by_this_responses_nonce_only(client):
    first, second = client.get("/"), client.get("/")
    nonces = []
    for response in (first, second):
        found = re.search(r"<style nonce=\"([^\"]+)\">:root", response.content.decode())
        assert found, "the operator's colours are not in a nonced style block"
        assert policy_of(response)["style-src"] == ["'self'", f"'nonce-{found.group(1)}'"]
        nonces.append(found.group(1))
    assert nonces[0] != nonces[1]


def test_no_inline_script_is_allowed_even_with_a_nonce(client):
    """No page has an inline script any more: scripts come from our static files only."""
    response = client.get("/compte/signup/")  # the ALTCHA widget's script
    assert response.status_code == 200
    assert policy_of(response)["script-src"] == ["'self'"]
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(("provider", "allowed"), [("stripe", True), ("demo", False), ("", False)])
def test_forms_may_lead_to_stripes_checkout_only_when_stripe_is_the_provider(provider, allowed):
    """« Payer maintenant » posts to Guichet, which redirects to the provider's hosted page;
    the browser checks that redirect against form-action."""
    read = "from guichet import settings; import json; "
    read += "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']))"
    env = {**os.environ, "GUICHET_PAYMENT_PROVIDER": provider}
    found = subprocess.run(
        [sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True
    )
    sources = json.loads(found.stdout)
    assert sources[0] == "'self'"
    assert ("https://checkout.stripe.com" in sources) is allowed

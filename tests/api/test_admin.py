"""Staff make keys and endpoints in the administration: the token and the signing secret
are shown once, only the token's hash is stored; keys are revoked, never deleted."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.urls import reverse

from guichet.api.models import ApiKey, WebhookEndpoint
from tests.api.support import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


def test_staff_make_a_key_shown_once(admin_client, staff, account):
    response = admin_client.post(
        reverse("admin:api_apikey_add"),
        {
            "name": "Logiciel comptable",
            "account": account.pk,
            "scopes": ["billing:read", "catalog:read"],
            "allowed_ips": "127.0.0.1\n10.0.0.0/8",
            "rate_per_minute": 60,
        },
    )
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    token = re.search(r"gk_[\w-]+", page).group(0)
    key = ApiKey.objects.get()
    assert (key.account, key.created_by) == (account, staff)
    assert key.scopes == ["billing:read", "catalog:read"]
    assert key.allowed_ips == ["127.0.0.1", "10.0.0.0/8"]
    assert (
        token
        not in admin_client.get(reverse("admin:api_apikey_change", args=[key.pk])).content.decode()
    )
    assert ApiClient(token).get("/api/v1/offerings/", remote_addr="127.0.0.1").status_code == 200


def test_a_bad_network_is_refused(admin_client, account):
    response = admin_client.post(
        reverse("admin:api_apikey_add"),
        {
            "name": "x",
            "account": account.pk,
            "allowed_ips": "pas une adresse",
            "rate_per_minute": 60,
        },
    )
    assert response.status_code == 200
    assert not ApiKey.objects.exists()


def test_staff_register_an_endpoint_and_see_its_secret_once(admin_client):
    response = admin_client.post(
        reverse("admin:api_webhookendpoint_add"),
        {"url": "https://erp.exemple.ca/hooks", "events": ["invoice.paid"], "active": "on"},
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in " ".join(str(m) for m in get_messages(response.wsgi_request))

"""« API et webhooks » for staff, outside the admin: only the Administration role opens it
(others get 404); a key is made with its scopes, addresses and expiry, its token shown
once and only its hash kept; a bad address is refused in French with what was typed
kept; revoking ends the key; each endpoint's deliveries and their attempts are listed
and sent again."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import StaffRole
from guichet.api.models import (
    ApiKey,
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)
from guichet.api.webhooks.delivery import new_secret
from guichet.audit.models import Action, AuditEvent
from guichet.core.roles import Role
from tests.api.support import ApiClient
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db
INDEX = "/api/personnel/"
NEW_KEY = "/api/personnel/cles/nouvelle/"


def signed_in(client, *roles):
    staff = AccountFactory(is_staff=True)
    for role in roles:
        StaffRole.objects.create(account=staff, role=role)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return staff


def test_only_the_administration_role_opens_it(client):
    assert client.get(INDEX).status_code == 302  # to sign in
    signed_in(client, Role.REGISTRAR, Role.ACCOUNTING)
    for path in (INDEX, NEW_KEY):
        assert client.get(path).status_code == 404
    signed_in(client, Role.ADMINISTRATION)
    assert client.get(INDEX).status_code == 200
    assert reverse("api:staff") in text_of(client.get("/personnel/", follow=True))


def test_a_key_is_made_with_scopes_addresses_and_expiry_and_shown_once(client, account):
    staff = signed_in(client, Role.ADMINISTRATION)
    expiry = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        NEW_KEY,
        {
            "name": "Logiciel comptable",
            "account": account.email.upper(),
            "scopes": ["billing:read", "organizations:read"],
            "allowed_ips": "127.0.0.1\n10.0.0.0/8",
            "expires_on": expiry.isoformat(),
            "rate_per_minute": "60",
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    token = re.search(r"gk_[A-Za-z0-9]+_[\w-]+", text_of(response)).group(0)
    key = ApiKey.objects.get()
    assert (key.name, key.account, key.created_by) == ("Logiciel comptable", account, staff)
    assert key.scopes == ["billing:read", "organizations:read"]
    assert key.allowed_ips == ["127.0.0.1", "10.0.0.0/8"]
    assert timezone.localtime(key.expires_at).date() == expiry
    assert key.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in text_of(client.get(INDEX))  # never shown again
    assert AuditEvent.objects.filter(action=Action.API_KEY_CREATED, actor=staff).exists()
    assert ApiClient(token).get("/api/v1/invoices/", remote_addr="127.0.0.1").status_code == 200


def test_a_bad_address_is_refused_in_french_and_what_was_typed_is_kept(client, account):
    signed_in(client, Role.ADMINISTRATION)
    response = client.post(
        NEW_KEY,
        {
            "name": "ERP",
            "account": account.email,
            "scopes": ["catalog:read"],
            "allowed_ips": "pas une adresse",
            "rate_per_minute": "60",
        },
    )
    page = text_of(response)
    assert response.status_code == 200 and not ApiKey.objects.exists()
    assert "Saisissez une adresse ou un réseau par ligne" in page
    assert "pas une adresse" in page and 'value="ERP"' in page


def test_revoking_ends_the_key(client, account):
    staff = signed_in(client, Role.ADMINISTRATION)
    client.post(
        NEW_KEY,
        {"name": "ERP", "account": account.email, "scopes": ["catalog:read"], "rate_per_minute": 9},
    )
    key = ApiKey.objects.get()
    response = client.post(reverse("api:staff_revoke_key", args=[key.pk]))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(action=Action.API_KEY_REVOKED, actor=staff).exists()
    assert client.get(reverse("api:staff_revoke_key", args=[key.pk])).status_code == 405


def test_deliveries_are_listed_with_their_attempts_and_sent_again(
    client, django_assert_max_num_queries
):
    staff = signed_in(client, Role.ADMINISTRATION)
    endpoint = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hooks", secret=new_secret(), events=["invoice.paid"]
    )
    for number in range(3):
        message = WebhookMessage.objects.create(
            msg_id=f"msg_{number}", event_type="invoice.paid", payload={"type": "invoice.paid"}
        )
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, message=message, status=DeliveryStatus.FAILED, attempts=1
        )
        DeliveryAttempt.objects.create(delivery=delivery, status_code=500, duration_ms=12)
    with django_assert_max_num_queries(12):
        page = text_of(client.get(reverse("api:staff_endpoint", args=[endpoint.pk])))
    assert page.count("HTTP 500") == 3
    with django_assert_max_num_queries(12):
        assert endpoint.url in text_of(client.get(INDEX))
    response = client.post(reverse("api:staff_redeliver", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert AuditEvent.objects.filter(action=Action.WEBHOOK_REDELIVERED, actor=staff).exists()


def test_the_page_speaks_the_accounts_language(client):
    staff = signed_in(client, Role.ADMINISTRATION)
    page = text_of(client.get(NEW_KEY))
    assert "Créer une clé d'API" in page and "Organisations et relations : lecture" in page
    staff.language = "en"
    staff.save(update_fields=["language"])
    page = text_of(client.get(NEW_KEY))
    assert "Create an API key" in page and "Organizations and relations: read" in page

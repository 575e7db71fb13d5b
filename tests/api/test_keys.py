"""API keys: shown once and stored hashed, 401 for a missing, wrong, expired or revoked
key, 403 for a missing scope or an address not allowed, 429 with Retry-After past the
rate, the key's name in the audit trail, errors as problem+json in French and English."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from guichet.api import keys
from guichet.api.models import ApiKey
from guichet.audit.models import Action, AuditEvent
from tests.api.support import ApiClient, make_key

pytestmark = pytest.mark.django_db
OFFERINGS = "/api/v1/offerings/"


def test_the_token_is_shown_once_and_only_its_hash_is_kept(staff):
    made = keys.create_key(name="Comptabilité", account=staff, scopes=["billing:read"], actor=staff)
    key = ApiKey.objects.get(pk=made.key.pk)
    assert made.token.startswith("gk_")
    assert made.token not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert key.secret_hash == hashlib.sha256(made.token.encode()).hexdigest()
    event = AuditEvent.objects.get(action=Action.API_KEY_CREATED)
    assert event.data == {"key": "Comptabilité", "scopes": ["billing:read"]}
    assert made.token not in str(event.data)


def test_unknown_scopes_are_refused(staff):
    with pytest.raises(keys.BadKeySettings):
        keys.create_key(name="x", account=staff, scopes=["everything"], actor=staff)


def test_no_key_a_wrong_key_answer_401_as_problem_json(db):
    for client in (ApiClient(None), ApiClient("gk_000000000000_nope")):
        response = client.get(OFFERINGS)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
        body = response.json()
        assert body["status"] == 401
        assert body["title"] == "L'authentification est requise."


def test_errors_speak_english_when_asked(db):
    response = ApiClient(None, **{"Accept-Language": "en-CA,en;q=0.9"}).get(OFFERINGS)
    assert response.json()["title"] == "Authentication is required."
    assert response["Content-Language"] == "en"


def test_expired_and_revoked_keys_answer_401(staff):
    expired = make_key(staff, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = ApiClient(expired).get(OFFERINGS)
    assert response.status_code == 401
    assert response.json()["detail"] == "Cette clé d'API est expirée."
    token = make_key(staff, name="Révoquée")
    assert ApiClient(token).get(OFFERINGS).status_code == 200
    keys.revoke_key(ApiKey.objects.get(name="Révoquée"), actor=staff)
    response = ApiClient(token).get(OFFERINGS)
    assert response.status_code == 401
    assert response.json()["detail"] == "Cette clé d'API a été révoquée."
    assert AuditEvent.objects.filter(action=Action.API_KEY_REVOKED).count() == 1


def test_a_missing_scope_answers_403(staff):
    client = ApiClient(make_key(staff, ["billing:read"]))
    response = client.get(OFFERINGS)
    assert response.status_code == 403
    assert "catalog:read" in response.json()["detail"]
    assert client.get("/api/v1/invoices/").status_code == 200
    # Reading does not allow writing.
    response = client.post("/api/v1/invoices/1/payments/", {"amount": "1.00"})
    assert response.status_code == 403
    assert "billing:write" in response.json()["detail"]


def test_write_scope_includes_read(staff):
    assert ApiClient(make_key(staff, ["catalog:write"])).get(OFFERINGS).status_code == 200


def test_the_address_list_is_enforced(staff):
    inside = ApiClient(make_key(staff, allowed_ips=["127.0.0.0/8"], name="Interne"))
    assert inside.get(OFFERINGS, remote_addr="127.0.0.1").status_code == 200
    network = ApiClient(make_key(staff, allowed_ips=["10.1.2.0/24"], name="Réseau"))
    assert network.get(OFFERINGS, remote_addr="10.1.2.77").status_code == 200
    response = network.get(OFFERINGS, remote_addr="10.1.3.1")
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Cette clé d'API ne peut pas être utilisée depuis cette adresse."
    )


def test_past_the_rate_429_with_retry_after(staff):
    client = ApiClient(make_key(staff, rate_per_minute=3))
    assert [client.get(OFFERINGS).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(OFFERINGS)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Content-Type"] == "application/problem+json"
    # Another key has its own budget.
    assert ApiClient(make_key(staff, name="Autre")).get(OFFERINGS).status_code == 200

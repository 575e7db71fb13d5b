"""/sante/vivant and /sante/pret: unauthenticated, cheap, revealing nothing, and right."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.ops.conftest import REDIS_TEST_URL, closed_port


def body(response) -> dict:
    return json.loads(response.content)


@pytest.mark.django_db
def test_liveness_answers_with_no_query_whatever_the_host_and_https(
    client, settings, django_assert_num_queries
):
    settings.HTTPS = True
    settings.SECURE_SSL_REDIRECT = True  # a plain-HTTP probe is not redirected
    settings.ALLOWED_HOSTS = ["services.exemple.ca"]  # a probe by address is not refused
    with django_assert_num_queries(0):
        response = client.get("/sante/vivant", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert body(response) == {"status": "alive"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_readiness_is_ready_with_the_database_and_migrations(client, settings):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "memory://localhost/"
    response = client.get("/sante/pret/")
    assert response.status_code == 200
    assert body(response) == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "cache": "not used",
            "broker": "not used",
        },
    }


@pytest.mark.django_db
def test_readiness_checks_redis_and_the_broker(client, settings):
    settings.REDIS_URL = REDIS_TEST_URL
    settings.CELERY_BROKER_URL = REDIS_TEST_URL
    response = client.get("/sante/pret")
    assert response.status_code == 200
    assert body(response)["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
        "broker": "ok",
    }


@pytest.mark.django_db
def test_redis_down_leaves_the_server_ready_but_degraded(client, settings):
    down = f"redis://127.0.0.1:{closed_port()}/0"
    settings.REDIS_URL = down
    settings.CELERY_BROKER_URL = down
    response = client.get("/sante/pret")
    assert response.status_code == 200
    assert body(response) == {
        "status": "degraded",
        "checks": {"database": "ok", "migrations": "ok", "cache": "failing", "broker": "failing"},
    }


@pytest.mark.django_db
def test_a_migration_not_applied_makes_the_server_not_ready(client, settings):
    settings.REDIS_URL = ""
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations)"
        )
    response = client.get("/sante/pret")
    assert response.status_code == 503
    assert body(response)["checks"]["migrations"] == "failing"
    assert body(response)["status"] == "not ready"


@pytest.mark.django_db(transaction=True)
def test_database_down_makes_the_server_not_ready_and_says_nothing_more(
    client, settings, database_down
):
    settings.REDIS_URL = ""
    response = client.get("/sante/pret")
    assert response.status_code == 503
    assert body(response) == {
        "status": "not ready",
        "checks": {
            "database": "failing",
            "migrations": "failing",
            "cache": "not used",
            "broker": "not used",
        },
    }
    text = response.content.decode()
    for secret in ("127.0.0.1", "5432", "postgres", "refused", "Error"):
        assert secret not in text
    # And liveness still answers: the process is fine, only its database is not.
    assert client.get("/sante/vivant").status_code == 200


@pytest.mark.django_db
def test_a_cache_in_a_redis_of_its_own_is_checked_apart_from_the_broker(client, settings):
    settings.REDIS_URL = REDIS_TEST_URL
    settings.CELERY_BROKER_URL = REDIS_TEST_URL
    settings.GUICHET_CACHE_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/sante/pret")
    assert response.status_code == 200
    assert body(response)["status"] == "degraded"
    assert body(response)["checks"]["cache"] == "failing"
    assert body(response)["checks"]["broker"] == "ok"

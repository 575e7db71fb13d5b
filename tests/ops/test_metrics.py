"""/sante/metriques: refused without the token or the allow-list, the counters move with
the requests, queries and tasks, and the business gauges are the database's counts."""

from __future__ import annotations

import pytest
from celery import shared_task
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from guichet.api.models import WebhookEndpoint
from guichet.core import outbox
from guichet.core.models import OutboxEmail
from guichet.registrations.models import Registration, RegistrationStatus
from tests.registrations.engine_support import make_offering, make_person

TOKEN = "jeton-de-prometheus-0123456789"
PATH = "/sante/metriques"


def scrape(client, **headers) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get(PATH, HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def token(settings):
    settings.GUICHET_METRICS_TOKEN = TOKEN
    settings.GUICHET_METRICS_ALLOW = []


@pytest.mark.django_db
def test_metrics_are_a_404_unless_configured_then_only_with_the_token(client, settings):
    settings.GUICHET_METRICS_TOKEN = ""
    settings.GUICHET_METRICS_ALLOW = []
    assert client.get(PATH).status_code == 404
    assert client.get(PATH, HTTP_AUTHORIZATION="Bearer ").status_code == 404
    settings.GUICHET_METRICS_TOKEN = TOKEN
    assert client.get(PATH).status_code == 404
    assert client.get(PATH, HTTP_AUTHORIZATION="Bearer mauvais-jeton").status_code == 404
    assert client.get(PATH, HTTP_AUTHORIZATION=TOKEN).status_code == 404  # no « Bearer »
    refused = client.get(PATH, HTTP_AUTHORIZATION=f"Bearer {TOKEN}x")
    assert refused.status_code == 404
    assert b"django_http" not in refused.content
    assert client.get(PATH, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.django_db
def test_the_allow_list_admits_its_networks_only(client, settings):
    settings.GUICHET_METRICS_TOKEN = ""
    settings.GUICHET_METRICS_ALLOW = ["10.0.0.0/24", "192.0.2.7"]
    assert client.get(PATH, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(PATH, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get(PATH, REMOTE_ADDR="10.0.1.9").status_code == 404
    assert client.get(PATH, REMOTE_ADDR="127.0.0.1").status_code == 404


@pytest.mark.django_db
def test_scraped_by_address_over_plain_http_like_the_health_checks(client, settings, token):
    settings.ALLOWED_HOSTS = ["services.exemple.ca"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(PATH, HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_requests_latency_and_queries_are_counted_by_view(client, token):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/").status_code == 200
    after = scrape(client)
    counted = "django_http_responses_total_by_status_view_method_total"
    labels = {"status": "200", "view": "core:home", "method": "GET"}
    assert value(after, counted, **labels) - value(before, counted, **labels) == 3
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    labels = {"view": "core:home", "method": "GET"}
    assert value(after, latency, **labels) - value(before, latency, **labels) == 3
    queries = "django_db_execute_total"
    db = {"alias": "default", "vendor": "postgresql"}
    assert value(after, queries, **db) > value(before, queries, **db)


@shared_task(name="tests.ops.metrics_probe")
def probe(fail: bool) -> None:
    if fail:
        raise ValueError("sonde")


@pytest.mark.django_db
def test_celery_task_outcomes_are_counted(client, token):
    before = scrape(client)
    probe.delay(False)
    probe.delay(False)
    probe.delay(True)  # eager in the tests: the failure is recorded, not raised
    after = scrape(client)
    name = "guichet_celery_tasks_total"
    task = "tests.ops.metrics_probe"
    ok = value(after, name, task=task, outcome="success") - value(
        before, name, task=task, outcome="success"
    )
    failed = value(after, name, task=task, outcome="failure") - value(
        before, name, task=task, outcome="failure"
    )
    assert (ok, failed) == (2, 1)


@pytest.mark.django_db
def test_business_gauges_are_the_database_counts(client, token, django_assert_max_num_queries):
    offering = make_offering(capacity=2)
    statuses = [
        RegistrationStatus.HELD,
        RegistrationStatus.HELD,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
        RegistrationStatus.OFFERED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CANCELLED,
    ]
    for n, status in enumerate(statuses):
        account, dossier = make_person(email=f"jauge{n}@exemple.ca")
        Registration.objects.create(
            offering=offering,
            participant=dossier,
            registered_by=account,
            right="self",
            status=status,
            price_category="non_member",
            unit_price=0,
        )
    WebhookEndpoint.objects.create(url="https://a.exemple.ca/", secret="s", failures_in_a_row=3)
    WebhookEndpoint.objects.create(url="https://b.exemple.ca/", secret="s")
    WebhookEndpoint.objects.create(
        url="https://c.exemple.ca/", secret="s", active=False, failures_in_a_row=20
    )
    for n in range(3):
        outbox.store(
            {"subject": "s", "body": "b", "from_email": "g@exemple.ca", "to": [f"{n}@x.ca"]}
        )
    OutboxEmail.objects.filter(pk=OutboxEmail.objects.order_by("pk")[0].pk).update(
        failed_at=timezone.now()
    )
    with django_assert_max_num_queries(4):
        samples = scrape(client)

    def count(status: str) -> int:
        return Registration.objects.filter(status=status).count()

    assert value(samples, "guichet_registrations_held") == count("held") == 2
    assert value(samples, "guichet_waiting_list_entries") == count("waiting") == 3
    assert value(samples, "guichet_waiting_list_offers_open") == count("offered") == 1
    assert value(samples, "guichet_registrations_pending_payment") == 0
    assert value(samples, "guichet_webhook_endpoints_failing") == 1
    assert value(samples, "guichet_webhook_endpoints_disabled") == 1
    assert value(samples, "guichet_webhook_deliveries_retrying") == 0
    assert value(samples, "guichet_emails_queued") == 2
    assert value(samples, "guichet_emails_failed") == 1

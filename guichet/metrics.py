"""Prometheus metrics at ``/sante/metriques`` (docs/deployment.md « Metrics »).

The counters come from django-prometheus (its middlewares: requests, responses and latency
by view and method; its database backends: queries, errors and their duration) and from
``core.metrics`` (Celery task outcomes). The business gauges below are computed when
Prometheus scrapes, in three grouped queries on indexed columns: spots held, waiting lists
and offers, webhook endpoints failing, emails not yet sent.

The page is served only to whoever shows ``Authorization: Bearer <GUICHET_METRICS_TOKEN>``
or comes from an address of ``GUICHET_METRICS_ALLOW`` (addresses or networks, comma
separated); everyone else, and everyone when neither is set, gets a plain 404. It is
answered before the host check and the HTTPS redirect (like the health checks), so
Prometheus may scrape each app server by its address.

Several gunicorn workers: with ``GUICHET_METRICS_DIR`` (settings put it in
``PROMETHEUS_MULTIPROC_DIR``) each process writes its counters there and the page adds up
every process's (prometheus_client's multiprocess mode; ``deploy/gunicorn.conf.py`` empties
the folder at start and forgets a dead worker's gauges). A Celery worker on the same
machine with the same folder shows its task outcomes in the app server's page.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from guichet.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from guichet.core.models import OutboxEmail
from guichet.registrations.models import Registration, RegistrationStatus

logger = logging.getLogger(__name__)

PATHS = frozenset({"/sante/metriques", "/sante/metriques/"})
# The live statuses the gauges report, by the name of their gauge.
REGISTRATION_GAUGES = {
    RegistrationStatus.HELD: "guichet_registrations_held",
    RegistrationStatus.PENDING_PAYMENT: "guichet_registrations_pending_payment",
    RegistrationStatus.WAITING: "guichet_waiting_list_entries",
    RegistrationStatus.OFFERED: "guichet_waiting_list_offers_open",
}


def _networks(values: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


def allowed(request: HttpRequest) -> bool:
    """The bearer token, or an address of the allow-list (never with neither set)."""
    token = str(getattr(settings, "GUICHET_METRICS_TOKEN", "") or "")
    given = request.headers.get("Authorization", "")
    bearer = given.removeprefix("Bearer ") if given.startswith("Bearer ") else ""
    if token and bearer and hmac.compare_digest(bearer.encode(), token.encode()):
        return True
    networks = _networks(getattr(settings, "GUICHET_METRICS_ALLOW", []) or [])
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in network for network in networks)
    return False


def _gauge(name: str, documentation: str, value: int) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, documentation)
    gauge.add_metric([], value)
    return gauge


class BusinessCollector(Collector):
    """The gauges read from the database at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        by_status = dict(
            Registration.objects.filter(status__in=list(REGISTRATION_GAUGES))
            .order_by()
            .values_list("status")
            .annotate(n=Count("id"))
        )
        for status, name in REGISTRATION_GAUGES.items():
            yield _gauge(name, f"Registrations now {status.value}.", by_status.get(status, 0))
        endpoints = WebhookEndpoint.objects.aggregate(
            failing=Count("id", filter=Q(active=True, failures_in_a_row__gt=0)),
            disabled=Count("id", filter=Q(active=False) | Q(disabled_at__isnull=False)),
        )
        yield _gauge(
            "guichet_webhook_endpoints_failing",
            "Active webhook endpoints whose last attempt failed.",
            endpoints["failing"],
        )
        yield _gauge(
            "guichet_webhook_endpoints_disabled",
            "Webhook endpoints disabled (by staff or after failures).",
            endpoints["disabled"],
        )
        yield _gauge(
            "guichet_webhook_deliveries_retrying",
            "Webhook deliveries waiting for another attempt.",
            WebhookDelivery.objects.filter(status=DeliveryStatus.RETRYING).count(),
        )
        emails = OutboxEmail.objects.aggregate(
            waiting=Count("id", filter=Q(sent_at__isnull=True, failed_at__isnull=True)),
            failed=Count("id", filter=Q(failed_at__isnull=False)),
        )
        yield _gauge(
            "guichet_emails_queued", "Emails of the outbox not yet sent.", emails["waiting"]
        )
        yield _gauge(
            "guichet_emails_failed",
            "Emails given up after every attempt (kept 30 days).",
            emails["failed"],
        )


BUSINESS = CollectorRegistry(auto_describe=False)
BUSINESS.register(BusinessCollector())


def render() -> bytes:
    """Every process's counters (multiprocess mode) or this one's, then the gauges."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(BUSINESS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


class MetricsMiddleware:
    """Answers ``/sante/metriques`` before the host check and the session (see above)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if request.path_info in PATHS and request.method in {"GET", "HEAD"}:
            if not allowed(request):
                return HttpResponse(status=404, content_type="text/plain")
            return metrics_view(request)
        return self.get_response(request)

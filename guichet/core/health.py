"""Health checks for load balancers and orchestrators: ``/sante/vivant`` and ``/sante/pret``.

``HealthCheckMiddleware`` is the first middleware: it answers these two paths itself,
before the HTTPS redirect, the host check, the session or the user are looked at, so a
load balancer probing over plain HTTP with any ``Host`` gets an answer, and a probe never
touches a session. Neither needs authentication and neither reveals anything beyond the
name of each dependency and whether it answered (no version, no host, no error text).

- ``/sante/vivant`` (liveness): the process answers. It reads nothing; restart the process
  only when this fails.
- ``/sante/pret`` (readiness): the database answers ``SELECT 1`` and every migration on
  disk is applied (200 « ready »), or not (503: take the server out of the pool). Redis
  (cache) and the Celery broker are checked and reported too, but their failure leaves the
  server ready (« degraded »): sessions fall back to the database, the cache to nothing and
  tasks to in-process execution, so taking every server out of the pool when the one Redis
  they share restarts would turn a degraded service into an outage.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

LIVE_PATHS = frozenset({"/sante/vivant", "/sante/vivant/"})
READY_PATHS = frozenset({"/sante/pret", "/sante/pret/"})
OK, FAILING, NOT_USED = "ok", "failing", "not used"
# A check waits this long for Redis; the database's own connect timeout applies to it.
REDIS_TIMEOUT_SECONDS = 1.0

_migrated = threading.Event()  # once every migration is applied, it stays so


def database_answers() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Readiness: the database does not answer", exc_info=True)
        # A connection broken by a database restart must not be kept for the next request.
        connection.close_if_unusable_or_obsolete()
        return False
    return True


def migrations_applied() -> bool:
    """No migration on disk is left to apply (rolling deploys migrate before the new code
    takes traffic: a server whose code expects a later schema is not ready)."""
    if _migrated.is_set():
        return True
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.warning("Readiness: could not read the migration history", exc_info=True)
        return False
    if pending:
        return False
    _migrated.set()
    return True


def redis_answers(url: str) -> bool:
    try:
        client = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        logger.warning("Readiness: Redis does not answer", exc_info=True)
        return False


def readiness() -> tuple[bool, dict[str, str]]:
    """Whether this server should take traffic, and each dependency's state."""
    checks: dict[str, str] = {}
    database = database_answers()
    checks["database"] = OK if database else FAILING
    checks["migrations"] = OK if database and migrations_applied() else FAILING
    redis_url = getattr(settings, "REDIS_URL", "")
    if redis_url:
        redis_url = getattr(settings, "GUICHET_CACHE_URL", "") or redis_url
    checks["cache"] = (OK if redis_answers(redis_url) else FAILING) if redis_url else NOT_USED
    broker_url = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if broker_url.startswith(("redis://", "rediss://", "unix://")):
        same = broker_url == redis_url and checks["cache"] != NOT_USED
        checks["broker"] = (
            checks["cache"] if same else (OK if redis_answers(broker_url) else FAILING)
        )
    else:
        checks["broker"] = NOT_USED  # tasks run in-process
    ready = checks["database"] == OK and checks["migrations"] == OK
    return ready, checks


def _answer(status: int, body: dict[str, object]) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def live_view(request: HttpRequest) -> HttpResponse:
    return _answer(200, {"status": "alive"})


def ready_view(request: HttpRequest) -> HttpResponse:
    ready, checks = readiness()
    if not ready:
        status = "not ready"
    elif FAILING in checks.values():
        status = "degraded"
    else:
        status = "ready"
    return _answer(200 if ready else 503, {"status": status, "checks": checks})


class HealthCheckMiddleware:
    """Answers the health paths first of all (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method in {"GET", "HEAD"}:
            if path in LIVE_PATHS:
                return live_view(request)
            if path in READY_PATHS:
                return ready_view(request)
        return self.get_response(request)

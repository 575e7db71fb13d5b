"""A dependency that is down answers 503 « réessayez », never 500.

Django turns an exception raised anywhere in a request (a view, a middleware loading the
session, a template) into a call to ``handler500`` (``core.views.server_error``), inside
the ``except`` block. That handler asks ``unavailable`` whether the exception says that
the database, Redis or the broker could not be reached or is saturated; if so it answers
the self-contained 503 page with ``Retry-After`` instead of the 500 page. A transaction
that failed that way committed nothing, and the forms that write carry an idempotency key,
so submitting again is safe.
"""

from __future__ import annotations

import sys

import kombu.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

UNAVAILABLE: tuple[type[BaseException], ...] = (
    OperationalError,  # cannot connect, connection lost, lock timeout, too many clients
    InterfaceError,  # the connection was closed under us (a database restart)
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
    kombu.exceptions.OperationalError,  # the broker
)
RETRY_AFTER_SECONDS = 10


def unavailable(exception: BaseException | None) -> bool:
    """The exception, or one it was raised from, says a dependency is unreachable."""
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, UNAVAILABLE):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def current_exception_is_unavailability() -> bool:
    return unavailable(sys.exc_info()[1])


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The bilingual « réessayez » page; like the 500 page it needs no database."""
    nonce = getattr(request, "csp_nonce", "")
    response = HttpResponse(
        loader.get_template("503.html").render({"csp_nonce": nonce}), status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response

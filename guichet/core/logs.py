"""Structured logs: a request id on every line, carried into Celery tasks and emails.

- ``RequestIdMiddleware`` takes the proxy's ``X-Request-ID`` (when it is a plain token of
  at most 64 characters) or makes one, keeps it for the request, sends it back in the
  response's ``X-Request-ID`` and writes one access line per request on the
  ``guichet.access`` logger: method, the view's *route* (``inscriptions/<int:pk>/``, never
  the path itself, which may carry a key or a number), status and duration.
- ``RequestIdFilter`` puts it on every log record (``record.request_id``); ``JsonFormatter``
  writes one JSON object a line (``GUICHET_LOG_FORMAT=json``).
- A task published during a request carries the id in its headers (``before_task_publish``)
  and the worker logs under it (``task_prerun``); ``core.mail`` puts it in each email's
  ``X-Request-ID`` header.

Nothing personal is logged by Guichet: no query string, no form field, no email address
(``tests/ops/test_logs.py`` signs up, signs in and resets a password and searches the
logs for the address, the name and the password).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from celery import signals
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "guichet_request_id"
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

current: contextvars.ContextVar[str] = contextvars.ContextVar("guichet_request_id", default="")
access_logger = logging.getLogger("guichet.access")


def request_id() -> str:
    return current.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        rid = given if _VALID.match(given) else uuid.uuid4().hex
        token = current.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            match = getattr(request, "resolver_match", None)
            access_logger.info(
                "%s %s %s",
                request.method,
                f"/{match.route}" if match else "-",
                response.status_code,
                extra={
                    "method": request.method,
                    "route": f"/{match.route}" if match else None,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current.get() or "-"
        return True


EXTRAS = ("method", "route", "view", "status", "duration_ms", "status_code")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        # Only the extras named here: Django's ``request`` would print the query string and
        # Celery's ``data`` a task's arguments (an email's address and links).
        for key in EXTRAS:
            value = getattr(record, key, None)
            if isinstance(value, str | int | float | bool):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


# Celery: the id travels in the task's headers and is restored around the task.
_task_tokens: dict[str, contextvars.Token[str]] = {}


@signals.before_task_publish.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _carry_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    if headers is not None and current.get():
        headers[TASK_HEADER] = current.get()


@signals.task_prerun.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _restore_request_id(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    rid = getattr(getattr(task, "request", None), TASK_HEADER, None) or ""
    if rid and task_id and not current.get():
        _task_tokens[task_id] = current.set(rid)


@signals.task_postrun.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _forget_request_id(task_id: str = "", **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current.reset(token)

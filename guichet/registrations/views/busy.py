"""The friendly « réessayez » page when the database is saturated (never a 500)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def friendly_when_busy(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Lock timeouts, serialization failures and exhausted connections become a 503 with
    a retry page; the form's idempotency key makes the retry safe."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except OperationalError:
            logger.warning("Database busy on %s", request.path, exc_info=True)
            response = render(request, "registrations/busy.html", status=503)
            response["Retry-After"] = "5"
            return response

    return wrapper

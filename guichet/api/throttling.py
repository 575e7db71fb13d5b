"""Requests per minute per key: a fixed window in the cache (Redis in production), answered
with 429 and ``Retry-After`` by DRF."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from guichet.api.models import ApiKey

WINDOW = 60


class PerKeyThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return True  # unauthenticated requests are refused before any work
        now = time.time()
        window = int(now // WINDOW)
        self.retry_after = WINDOW - (now - window * WINDOW)
        name = f"api-rate:{key.pk}:{window}"
        cache.add(name, 0, timeout=WINDOW * 2)
        try:
            count = cache.incr(name)
        except ValueError:  # evicted in between
            cache.set(name, 1, timeout=WINDOW * 2)
            count = 1
        return count <= key.rate_per_minute

    def wait(self) -> float | None:
        return max(1.0, self.retry_after)

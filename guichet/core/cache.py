"""The Redis cache, degraded rather than failing when Redis is down or restarting.

Everything Guichet keeps in the cache can be lost: rate-limit counters, used CAPTCHA
solutions, cached sessions (``cached_db``: the database holds them). So while Redis does
not answer, reads miss, writes are dropped, ``add`` says the key was added and the request
goes on; each failure is logged once a minute at most. Timeouts are short
(``OPTIONS``: ``socket_timeout`` and ``socket_connect_timeout``, half a second by default
in settings) so a dead Redis costs little per request.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

import redis.exceptions
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

FAILURES = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
    redis.exceptions.ReadOnlyError,
)
LOG_EVERY_SECONDS = 60.0


def _degrade(default: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except FAILURES:
                self._log_failure(method.__name__)
                return default(*args, **kwargs)

        return wrapper

    return decorate


def _default_of_get(key: Any, default: Any = None, version: Any = None) -> Any:
    return default


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def _log_failure(self, operation: str) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_EVERY_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.warning("Redis does not answer (cache %s): degraded to no cache", operation)

    get = _degrade(_default_of_get)(RedisCache.get)
    set = _degrade(lambda *a, **k: None)(RedisCache.set)
    add = _degrade(lambda *a, **k: True)(RedisCache.add)
    touch = _degrade(lambda *a, **k: False)(RedisCache.touch)
    delete = _degrade(lambda *a, **k: False)(RedisCache.delete)
    get_many = _degrade(lambda *a, **k: {})(RedisCache.get_many)
    set_many = _degrade(lambda *a, **k: [])(RedisCache.set_many)
    delete_many = _degrade(lambda *a, **k: None)(RedisCache.delete_many)
    has_key = _degrade(lambda *a, **k: False)(RedisCache.has_key)
    clear = _degrade(lambda *a, **k: False)(RedisCache.clear)

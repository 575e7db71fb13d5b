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
import threading
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


def _degrade(
    default: Callable[..., Any], *, writes: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                if self._stale:
                    self._forget_stale()
                return method(self, *args, **kwargs)
            except FAILURES:
                self._log_failure(method.__name__)
                if writes:
                    self._remember_stale(method.__name__, args, kwargs)
                return default(*args, **kwargs)

        return wrapper

    return decorate


def _default_of_get(key: Any, default: Any = None, version: Any = None) -> Any:
    return default


class ResilientRedisCache(RedisCache):
    """A write that failed leaves Redis with the value from before (kept by its append-only
    file across a restart): a session changed meanwhile in the database would be read stale
    from the cache. So the keys whose write failed are remembered, and deleted first thing
    once Redis answers again."""

    _last_logged = 0.0
    STALE_LIMIT = 100_000

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._stale: set[tuple[str, Any]] = set()
        self._stale_lock = threading.Lock()

    def _remember_stale(
        self, operation: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        version = kwargs.get("version")
        if operation in {"set_many"}:
            keys = list((args[0] if args else kwargs.get("data", {})).keys())
        elif operation == "delete_many":
            keys = list(args[0] if args else kwargs.get("keys", []))
        elif args or "key" in kwargs:
            keys = [args[0] if args else kwargs["key"]]
        else:
            return
        with self._stale_lock:
            if len(self._stale) + len(keys) <= self.STALE_LIMIT:
                self._stale.update((key, version) for key in keys)

    def _forget_stale(self) -> None:
        with self._stale_lock:
            stale, self._stale = self._stale, set()
        try:
            for key, version in stale:
                RedisCache.delete(self, key, version=version)
        except FAILURES:
            with self._stale_lock:
                self._stale |= stale
            raise

    def _log_failure(self, operation: str) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_EVERY_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.warning("Redis does not answer (cache %s): degraded to no cache", operation)

    get = _degrade(_default_of_get)(RedisCache.get)
    set = _degrade(lambda *a, **k: None, writes=True)(RedisCache.set)
    add = _degrade(lambda *a, **k: True, writes=True)(RedisCache.add)
    touch = _degrade(lambda *a, **k: False)(RedisCache.touch)
    delete = _degrade(lambda *a, **k: False, writes=True)(RedisCache.delete)
    get_many = _degrade(lambda *a, **k: {})(RedisCache.get_many)
    set_many = _degrade(lambda *a, **k: [], writes=True)(RedisCache.set_many)
    delete_many = _degrade(lambda *a, **k: None, writes=True)(RedisCache.delete_many)
    has_key = _degrade(lambda *a, **k: False)(RedisCache.has_key)
    clear = _degrade(lambda *a, **k: False)(RedisCache.clear)

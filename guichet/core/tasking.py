"""Celery tasks that run in-process when the broker cannot take them.

``guichet/celery.py`` makes ``FallbackTask`` the base of every task. With a broker
(``GUICHET_REDIS_URL``) ``delay``/``apply_async`` publish as usual (Celery retries the
publication briefly first). If the broker still cannot be reached — Redis restarting —
the task is not lost: it runs here, in this process, at once, and the fallback is logged.
Without a broker (the embedded mode) tasks are eager anyway.

A task run this way is tried once, without Celery's retries (they would hold the request):
an email whose mail server is down at the same moment as Redis is lost, and the log says
so (``core.mail``).
"""

from __future__ import annotations

import logging
from typing import Any

import kombu.exceptions
import redis.exceptions
from celery import Task

logger = logging.getLogger(__name__)

BROKER_DOWN = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)


class FallbackTask(Task):
    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        try:
            return super().apply_async(args, kwargs, **options)
        except BROKER_DOWN:
            logger.warning("Broker unreachable: task %s runs in-process", self.name)
            return self.apply(args, kwargs, retries=self.max_retries or 0)

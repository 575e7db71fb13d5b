"""Celery tasks that run in-process when the broker cannot take them.

``guichet/celery.py`` makes ``FallbackTask`` the base of every task. With a broker
(``GUICHET_REDIS_URL``) ``delay``/``apply_async`` publish as usual (Celery retries the
publication briefly first). If the broker still cannot be reached — Redis restarting —
the task is not lost: it runs here, in this process, at once (once, without Celery's
retries, which would hold the request), and the fallback is logged. If that attempt fails
too (the mail server down at the same moment), a background thread of this process tries
again with a growing pause (1 s, 2 s, 4 s … up to a minute), each time handing the task
back to the broker if it answers again, else running it here, until the task's
``max_retries`` are spent. The same happens to a retry that a worker cannot publish.
Without a broker (the embedded mode) tasks are eager anyway.
"""

from __future__ import annotations

import logging
import threading
import time
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
LONGEST_PAUSE_SECONDS = 60.0


class FallbackTask(Task):  # type: ignore[misc]  # celery has no type information
    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        try:
            return super().apply_async(args, kwargs, **options)
        except BROKER_DOWN:
            logger.warning("Broker unreachable: task %s runs in-process", self.name)
            result = self.apply(args, kwargs, retries=self.max_retries or 0)
            if result.failed():
                threading.Thread(target=self._keep_trying, args=(args, kwargs), daemon=True).start()
            return result

    def _keep_trying(self, args: Any, kwargs: Any) -> None:
        pause = 1.0
        for _attempt in range(self.max_retries or 3):
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
            try:
                super().apply_async(args, kwargs)  # the broker is back: its retries apply
                return
            except BROKER_DOWN:
                pass
            if self.apply(args, kwargs, retries=self.max_retries or 0).successful():
                return
        logger.error("Task %s failed in-process and the broker stayed unreachable", self.name)

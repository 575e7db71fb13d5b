"""Celery task outcomes as Prometheus counters (the endpoint: ``guichet/metrics.py``).

``guichet_celery_tasks_total{task, outcome}`` counts each task run by where it ran (a worker,
or an app server when the task ran in-process): ``success``, ``failure``, ``retry``,
``rejected`` and ``revoked``. The receivers are connected when this module is imported
(``CoreConfig.ready``), in every process that loads Django.
"""

from __future__ import annotations

from typing import Any

from celery import signals
from prometheus_client import Counter

TASKS = Counter(
    "guichet_celery_tasks",
    "Celery task runs by task name and outcome.",
    ["task", "outcome"],
)


def _task_name(sender: Any = None, request: Any = None) -> str:
    name = getattr(sender, "name", None) or getattr(request, "task", None)
    if name is None and isinstance(sender, str):
        name = sender
    return str(name or "unknown")


@signals.task_success.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _success(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(_task_name(sender), "success").inc()


@signals.task_failure.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _failure(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(_task_name(sender), "failure").inc()


@signals.task_retry.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _retry(sender: Any = None, request: Any = None, **kwargs: Any) -> None:
    TASKS.labels(_task_name(sender, request), "retry").inc()


@signals.task_rejected.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _rejected(sender: Any = None, message: Any = None, **kwargs: Any) -> None:
    headers = getattr(message, "headers", None) or {}
    TASKS.labels(str(headers.get("task", "unknown")), "rejected").inc()


@signals.task_revoked.connect  # type: ignore[untyped-decorator]  # celery is untyped
def _revoked(sender: Any = None, request: Any = None, **kwargs: Any) -> None:
    TASKS.labels(_task_name(sender, request), "revoked").inc()

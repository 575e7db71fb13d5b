"""Core's background tasks: sending an email of the outbox, and sweeping the outbox."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from guichet.core import outbox
from guichet.core.outbox import build_message

__all__ = ["build_message", "deliver_email", "sweep_outbox"]


@shared_task(
    autoretry_for=outbox.SEND_ERRORS,
    retry_backoff=True,
    max_retries=8,
)
def deliver_email(item: int | dict[str, Any]) -> None:
    """Send the outbox row ``item`` (``core/outbox.py``); a plain payload, as queued by a
    release before the outbox, is sent as it is."""
    if isinstance(item, dict):
        build_message(item).send()
        return
    outbox.send(item)


@shared_task
def sweep_outbox() -> int:
    return outbox.sweep(deliver_email.delay)

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task

from guichet.core.mail import build_message


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=8,
)
def deliver_email(payload: dict[str, Any]) -> None:
    build_message(payload).send()

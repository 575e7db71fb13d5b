"""Core's background task: delivering an email rendered by ``core.mail``."""

from __future__ import annotations

import base64
import smtplib
from typing import Any

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=8,
)
def deliver_email(payload: dict[str, Any]) -> None:
    build_message(payload).send()


def build_message(payload: dict[str, Any]) -> EmailMultiAlternatives:
    """The message back from the plain payload ``core.mail.dispatch`` queued."""
    message = EmailMultiAlternatives(
        payload["subject"],
        payload["body"],
        payload["from_email"],
        payload["to"],
        headers=payload.get("headers") or None,
    )
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for filename, encoded, mimetype in payload.get("attachments", []):
        message.attach(filename, base64.b64decode(encoded), mimetype)
    return message

"""The one way Guichet sends email.

Apps call ``send_templated`` (or allauth's adapter calls ``dispatch``); the message is
rendered now, in the recipient's language, written to the outbox in the current
transaction (so a rolled-back change never sends mail, and a committed one always does)
and handed to a background task once it commits (``core/outbox.py``).
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from celery.result import EagerResult
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from guichet import presets
from guichet.core import logs, outbox
from guichet.core.tasks import deliver_email

logger = logging.getLogger(__name__)


def send_templated(
    template_prefix: str,
    *,
    to: str | Sequence[str],
    context: dict[str, Any],
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Render ``<prefix>_subject.txt``, ``_message.txt`` and (optional) ``_message.html``;
    ``attachments`` are ``(file name, content, MIME type)``."""
    recipients = [to] if isinstance(to, str) else list(to)
    context = {"operator": presets.active(), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        subject = f"{context['operator'].short_name} — {subject}"
        body = render_to_string(f"{template_prefix}_message.txt", context)
        html: str
        try:
            html = render_to_string(f"{template_prefix}_message.html", context)
        except TemplateDoesNotExist:
            html = ""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    dispatch(message)


def dispatch(message: EmailMessage) -> None:
    """Write an already rendered message to the outbox; it is sent once the transaction
    commits."""
    headers = dict(message.extra_headers)
    if rid := logs.request_id():  # the request that caused the email, for the logs
        headers.setdefault(logs.HEADER, rid)
    payload = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": headers,
        "alternatives": [
            (content, mimetype) for content, mimetype in getattr(message, "alternatives", [])
        ],
        # Files as base64 text: the task's payload is JSON.
        "attachments": [_encoded(attachment) for attachment in message.attachments],
    }
    row = outbox.store(payload)
    transaction.on_commit(lambda: _enqueue(row.pk))


def _encoded(attachment: Any) -> tuple[str, str, str]:
    """An attachment as JSON-friendly text (``message.attach``'s tuples only)."""
    filename, content, mimetype = attachment
    data = content.encode() if isinstance(content, str) else bytes(content)
    return filename, base64.b64encode(data).decode("ascii"), mimetype


def _enqueue(pk: int) -> None:
    result = deliver_email.delay(pk)
    # Only a task run in-process has a state to read here (no result backend is configured:
    # asking a queued task's state would raise); a worker logs its own failures.
    if isinstance(result, EagerResult) and result.failed():
        # No address in the logs: the request id ties the failure to its request.
        logger.error("An email could not be sent: %s", type(result.result).__name__)


class EmlFileBackend(BaseEmailBackend):
    """Writes each message to its own .eml file in ``EMAIL_FILE_PATH`` (embedded mode)."""

    def __init__(self, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)  # type: ignore[misc]  # set by _email_settings

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
            logger.info("Email written to %s", path)
        return len(email_messages)

"""The outbox: emails are rows first, sent by a task that marks them sent.

Why (the cluster test, docs/benchmarks.md): with the message itself in the broker, a
Redis restart while the mail server refused lost one confirmation (a retry that could
not be published ran in-process, then in a thread that died with its worker) and sent
two twice (the worker could not acknowledge tasks it had finished, so they were delivered
again). Now:

- ``core.mail.dispatch`` writes an ``OutboxEmail`` in the transaction of what caused it
  (a registration and its confirmation are committed together, or neither), with its own
  Message-ID and the message encrypted with the key ring (an address or a sign-in link is
  never legible in the database, and nothing of it is kept once sent), and hands its id
  to ``deliver_email`` once the transaction commits;
- ``send`` locks the row (``SKIP LOCKED``: a second delivery of the same task waits for
  nothing and does nothing), sends unless it is marked sent, and marks it sent in the same
  transaction. A task delivered again after it succeeded finds it sent: no duplicate. The
  one duplicate left is a process killed after the mail server took the message and
  before the mark committed: the next attempt sends it again, with the same Message-ID;
- ``sweep`` (beat, every minute) hands again to a worker every row still unsent past its
  ``next_attempt_at`` (its task lost with a broker's queue, a worker, a thread): none lost.
  It deletes rows sent more than ``KEEP_SENT_DAYS`` ago (they hold addresses and texts)
  and those given up more than ``KEEP_FAILED_DAYS`` ago.
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import timezone

from guichet.core import crypto
from guichet.core.models import OutboxEmail

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
MAX_ATTEMPTS = 12
# A task normally runs within seconds: unsent after this long, it is presumed lost.
PRESUMED_LOST = timedelta(minutes=2)
LONGEST_PAUSE_SECONDS = 600  # deliver_email's retry back-off stops growing there
KEEP_SENT_DAYS = 7
KEEP_FAILED_DAYS = 30
SWEEP_BATCH = 500


def new_message_id() -> str:
    domain = urlsplit(str(getattr(settings, "GUICHET_SITE_URL", ""))).hostname or "guichet"
    return make_msgid(domain=domain)


def store(payload: dict[str, Any]) -> OutboxEmail:
    """The row of a rendered message, in the caller's transaction."""
    return OutboxEmail.objects.create(
        message_id=new_message_id(),
        payload=crypto.encrypt(json.dumps(payload)),
        next_attempt_at=timezone.now() + PRESUMED_LOST,
    )


def build_message(payload: dict[str, Any], message_id: str = "") -> EmailMultiAlternatives:
    headers = dict(payload.get("headers") or {})
    if message_id:
        headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        payload["subject"],
        payload["body"],
        payload["from_email"],
        payload["to"],
        headers=headers or None,
    )
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    # Files travel as base64 text (``core.mail._encoded``): the payload is JSON.
    for filename, encoded, mimetype in payload.get("attachments", []):
        message.attach(filename, base64.b64decode(encoded), mimetype)
    return message


def send(pk: int) -> bool:
    """Send the row unless it is sent or being sent; True when this call sent it. A
    failure to send is recorded (the attempt, the error's class, when to presume the
    retry lost) and raised again for the task's retry."""
    failure: Exception | None = None
    with transaction.atomic():
        row = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True, failed_at__isnull=True)
            .first()
        )
        if row is None:
            return False  # sent already, given up, or another process is sending it
        row.attempts += 1
        now = timezone.now()
        try:
            message = json.loads(crypto.decrypt(row.payload))
            build_message(message, row.message_id).send()
        except SEND_ERRORS as error:
            failure = error
            row.last_error = type(error).__name__[:100]
            pause = min(2**row.attempts, LONGEST_PAUSE_SECONDS)
            row.next_attempt_at = now + timedelta(seconds=pause) + PRESUMED_LOST
            if row.attempts >= MAX_ATTEMPTS:
                row.failed_at = now
                logger.error("Email %s given up after %s attempts", row.pk, row.attempts)
        else:
            row.sent_at = now
            row.payload = ""  # nothing of the message is kept once sent
        row.save(
            update_fields=[
                "attempts",
                "last_error",
                "next_attempt_at",
                "sent_at",
                "failed_at",
                "payload",
            ]
        )
    if failure is not None:
        raise failure
    return True


def sweep(hand_over: Any) -> int:
    """Hand every row presumed lost to ``hand_over(pk)`` (the task's ``delay``); forget
    old rows. Returns how many were handed over."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        OutboxEmail.objects.filter(pk__in=due).update(next_attempt_at=now + PRESUMED_LOST)
    for pk in due:  # after the commit: a worker sees the rows as they are now
        hand_over(pk)
    OutboxEmail.objects.filter(sent_at__lt=now - timedelta(days=KEEP_SENT_DAYS)).delete()
    OutboxEmail.objects.filter(failed_at__lt=now - timedelta(days=KEEP_FAILED_DAYS)).delete()
    if due:
        logger.warning("Outbox: %s emails presumed lost handed to a worker again", len(due))
    return len(due)


def waiting() -> int:
    return OutboxEmail.objects.filter(sent_at__isnull=True, failed_at__isnull=True).count()

"""Core's one table: the outbox of emails (``core/outbox.py``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """An email to send, written in the same transaction as what caused it and marked
    sent by the task that sent it; its Message-ID stays the same across attempts, so a
    copy sent twice (a worker killed after the mail server took it, before the mark)
    is recognisable as one message."""

    message_id = models.CharField(max_length=255, unique=True)
    # The message (subject, body, from, to, headers, alternatives) as JSON encrypted with
    # the key ring (core.crypto): addresses and single-use links are not legible in the
    # database; emptied once sent.
    payload = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When, if still unsent, the sweeper hands it to a worker again (its task lost).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=100, blank=True)  # the error's class, no text
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)  # given up after the attempts

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="core_outbox_due",
            ),
            models.Index(fields=["sent_at"], name="core_outbox_sent"),
        ]

    def __str__(self) -> str:
        return self.message_id

"""Messages to an offering's participants (a class cancelled, a room changed): what was
written, by whom, and about which registrations (docs/backoffice.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ParticipantMessage(models.Model):
    """A message staff sent to the participants of an offering (or of one of its sessions),
    by email in each person's language (English falls back to French), and shown to them in
    « Mon dossier »."""

    offering = models.ForeignKey(
        "catalog.Offering",
        on_delete=models.CASCADE,
        related_name="participant_messages",
        verbose_name=_("offering"),
    )
    session = models.ForeignKey(
        "catalog.Session",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("session"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    subject_en = models.CharField(_("subject in English"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    body_en = models.TextField(_("message in English"), blank=True)
    sent_at = models.DateTimeField(_("sent on"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    role = models.CharField(_("role"), max_length=32, blank=True)
    emails_count = models.PositiveIntegerField(_("emails sent"), default=0)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")

    def __str__(self) -> str:
        return self.subject


class ParticipantMessageRecipient(models.Model):
    """A registration a message was about: its participant, and the people answering for
    them (the guardians of a child), were written to and see it in « Mon dossier »."""

    message = models.ForeignKey(
        ParticipantMessage, on_delete=models.CASCADE, related_name="recipients"
    )
    registration = models.ForeignKey(
        "registrations.Registration", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("recipient of a message to participants")
        verbose_name_plural = _("recipients of messages to participants")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "registration"], name="participant_message_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message} → {self.registration_id}"

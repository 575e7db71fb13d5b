"""The people part's own tables: who leads an offering (Animation sees only theirs) and the
messages staff send to an offering's participants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OfferingLeader(models.Model):
    """An activity leader (role Animation) in charge of an offering: they see its roster and
    take its attendance. Set by Inscriptions on the roster page."""

    offering = models.ForeignKey(
        "catalog.Offering",
        on_delete=models.CASCADE,
        related_name="leaders",
        verbose_name=_("offering"),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="offerings_led",
        verbose_name=_("activity leader"),
    )
    added_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        verbose_name = _("activity leader")
        verbose_name_plural = _("activity leaders")
        constraints = [
            models.UniqueConstraint(fields=["offering", "account"], name="lead_offering_once"),
        ]

    def __str__(self) -> str:
        return f"{self.account} — {self.offering}"


class ParticipantMessage(models.Model):
    """A message sent by email to the participants of an offering (or one of its sessions),
    written in French and English; each person gets it in their account's language."""

    offering = models.ForeignKey(
        "catalog.Offering",
        on_delete=models.PROTECT,
        related_name="participant_messages",
        verbose_name=_("offering"),
    )
    session = models.ForeignKey(
        "catalog.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    subject_fr = models.CharField(_("subject in French"), max_length=200)
    subject_en = models.CharField(_("subject in English"), max_length=200)
    body_fr = models.TextField(_("message in French"))
    body_en = models.TextField(_("message in English"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent on"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")

    def __str__(self) -> str:
        return self.subject_fr

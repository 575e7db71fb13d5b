"""What the reports part keeps: the newsletters sent, and to whom (docs/backoffice.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Newsletter(models.Model):
    """A newsletter sent to the people who consent to a mailing list (CASL), in each
    person's language (English falls back to French)."""

    mailing_list = models.ForeignKey(
        "privacy.MailingList",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mailing list"),
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
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    def __str__(self) -> str:
        return self.subject


class NewsletterRecipient(models.Model):
    """One person a newsletter was sent to, and in which language (no address kept: the
    file's address on file was used at sending)."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="recipients")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)

    class Meta:
        verbose_name = _("newsletter recipient")
        verbose_name_plural = _("newsletter recipients")
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "dossier"], name="newsletter_once")
        ]

    def __str__(self) -> str:
        return f"{self.newsletter} → {self.dossier_id}"

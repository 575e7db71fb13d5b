"""Consents (Law 25, CASL): each one recorded with its time and the exact wording shown."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailingList(models.Model):
    """A communication people may subscribe to (« Mes abonnements »)."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    # The sentence shown beside the checkbox; recorded with every consent.
    wording = models.TextField(_("consent wording"))
    wording_en = models.TextField(_("consent wording in English"), blank=True)
    active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current_for(self, dossier: Any) -> dict[int, Consent]:
        """The latest consent per list for the dossier: {mailing_list_id: consent}."""
        latest: dict[int, Consent] = {}
        for consent in self.filter(dossier=dossier).order_by("recorded_at", "id"):
            latest[consent.mailing_list_id] = consent
        return latest


class Consent(models.Model):
    """Append-only: a change adds a row; the latest row per list is in force."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="consents"
    )
    mailing_list = models.ForeignKey(MailingList, on_delete=models.PROTECT, related_name="+")
    granted = models.BooleanField()
    wording = models.TextField()  # as shown when the person decided
    language = models.CharField(max_length=8)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["dossier", "mailing_list", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.mailing_list} {'✓' if self.granted else '✗'}"

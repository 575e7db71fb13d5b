"""Requests people make to staff and follow in « Mes demandes »."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.accounts.types import Visitor
from guichet.dossiers import permissions


class RequestKind(models.TextChoices):
    DOSSIER_NUMBER = "dossier_number", _("File number request")
    DOSSIER_CHANGE = "dossier_change", _("Change to locked file information")
    GUARDIAN_REPORT = "guardian_report", _("Report of an added guardian")
    EMAIL_ON_FILE = "email_on_file", _("The email on file no longer works")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RequestQuerySet(models.QuerySet["Request"]):
    def visible_to(self, account: Visitor) -> RequestQuerySet:
        """A request is its author's: no right over the dossier reaches another's."""
        return self.filter(permissions.seen_by(account, made_by="submitted_by"))

    def pending(self) -> RequestQuerySet:
        return self.filter(status=RequestStatus.PENDING)


class Request(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_requests"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    # What the person typed, field by field, as submitted.
    data = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(_("submitted on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = RequestQuerySet.as_manager()

    # Not a column: a submit service sets it on the waiting request it returns instead of
    # a new one (a double click), so the view says so.
    duplicate: bool = False

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [models.Index(fields=["status", "kind", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

"""Consents (Law 25, CASL): each one recorded with its time and the exact wording shown."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class ConsentChannel(models.TextChoices):
    """How a consent was given or withdrawn, as « Mes abonnements » tells it."""

    PAGE = "page", _("on « My subscriptions »")
    EMAIL_LINK = "email_link", _("from the link in an email, in one click")
    STAFF = "staff", _("by our staff")
    CLOSURE = "closure", _("when the account was closed")


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
    channel = models.CharField(
        max_length=16, choices=ConsentChannel.choices, default=ConsentChannel.PAGE
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "consent")
        verbose_name_plural = pgettext_lazy("model", "consents")
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["dossier", "mailing_list", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.mailing_list} {'✓' if self.granted else '✗'}"


# « Mes données »: a person's archive -----------------------------------------------------
class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready to download")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPIRED = "expired", _("Expired")
    FAILED = "failed", _("Failed")


class DataExportQuerySet(models.QuerySet["DataExport"]):
    def of(self, account: Any) -> DataExportQuerySet:
        """An archive is its account's alone: no right over a dossier reaches another's."""
        if not getattr(account, "is_authenticated", False):
            return self.none()
        return self.filter(account=account)


class DataExport(models.Model):
    """One archive of everything Guichet holds on an account, prepared in the background,
    downloadable once, until it expires (``EXPORT_LIFETIME``)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    requested_at = models.DateTimeField(_("requested on"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready on"), null=True, blank=True)
    expires_at = models.DateTimeField(_("offered until"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded on"), null=True, blank=True)
    # Relative to ``settings.GUICHET_EXPORT_DIR``; erased once downloaded or expired.
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ExportStatus.PENDING

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


# Closing an account ----------------------------------------------------------------------
class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPLIED = "applied", _("Closed and anonymized")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ClosureRequest(models.Model):
    """A person asks to close their account; staff with the privacy role apply it."""

    # Kept once applied (the account row stays, anonymized): the request is the proof.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="closure_requests"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ClosureStatus.choices, default=ClosureStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested on"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What each app erased and kept, counts only: {"dossiers": {"files": 1, …}, …}.
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("account closure request")
        verbose_name_plural = _("account closure requests")
        permissions = [("manage_privacy", "Privacy officer (Vie privée)")]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(status="pending"), name="one_pending_closure"
            )
        ]

    def __str__(self) -> str:
        return f"closure {self.pk} ({self.status})"


# Law 25's « registre des incidents de confidentialité » ----------------------------------
class Incident(models.Model):
    """One confidentiality incident, as the regulation (RLRQ c. P-39.1, r. 3.1, s. 2) asks
    the register to hold it. Kept at least five years after it became known; never deleted
    (``receivers.py``)."""

    information_concerned = models.TextField(_("personal information concerned"))
    circumstances = models.TextField(_("circumstances of the incident"))
    occurred_on = models.DateField(_("date or start of the incident"))
    occurred_until = models.DateField(_("end of the incident"), null=True, blank=True)
    known_on = models.DateField(_("date the organization learned of it"))
    people_affected = models.PositiveIntegerField(_("number of people concerned"))
    people_affected_estimated = models.BooleanField(_("the number is an estimate"), default=False)
    risk_assessment = models.TextField(
        _("risk assessment"),
        help_text=_(
            "Sensitivity of the information, the uses that could be made of it, the "
            "likelihood that it will be used to cause injury."
        ),
    )
    serious_injury_risk = models.BooleanField(_("risk of serious injury"), default=False)
    commission_notified_on = models.DateField(
        _("notice to the Commission d'accès à l'information sent on"), null=True, blank=True
    )
    people_notified_on = models.DateField(
        _("notice to the people concerned sent on"), null=True, blank=True
    )
    public_notice = models.TextField(_("public notice, and why"), blank=True)
    measures = models.TextField(_("measures taken to reduce the risk"))
    recorded_at = models.DateTimeField(_("recorded on"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        ordering = ["-known_on", "-id"]
        verbose_name = _("confidentiality incident")
        verbose_name_plural = _("confidentiality incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True)
                | Q(occurred_until__gte=models.F("occurred_on")),
                name="incident_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"incident {self.pk} ({self.known_on})"

"""Member types, memberships, applications and their documents, renewal reminders.

A person becomes a member by an ``Application`` (« Demande d'adhésion ») that staff
approve; approval opens a ``Membership`` whose fee is invoiced through billing's ledger
(the membership is the invoice's *source*). The membership starts when the fee is paid
(or at approval, where the member type says so), runs for its period, is renewed in one
click, keeps counting during a grace period after its end, then lapses.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier


class Period(models.TextChoices):
    CALENDAR = "calendar", _("Calendar year")
    ANNIVERSARY = "anniversary", _("One year from the start")


class MemberType(models.Model):
    """A kind of member the operator admits (« membre régulier », « membre retraité »…)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    fee = models.DecimalField(_("fee"), max_digits=9, decimal_places=2, default=Decimal("0.00"))
    period = models.CharField(
        _("period"), max_length=16, choices=Period.choices, default=Period.CALENDAR
    )
    conditions = models.TextField(_("conditions"), blank=True)
    conditions_en = models.TextField(_("conditions in English"), blank=True)
    requires_hiring_resolution = models.BooleanField(_("hiring resolution required"), default=True)
    requires_diploma = models.BooleanField(_("diploma copy required"), default=False)
    # When the membership starts: once its fee is paid, or as soon as staff approve.
    starts_on_approval = models.BooleanField(_("starts on approval"), default=False)
    grace_days = models.PositiveSmallIntegerField(_("grace period (days)"), default=30)
    active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("member type")
        verbose_name_plural = _("member types")
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="member_type_fee_not_negative")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def conditions_text(self) -> str:
        if get_language() == "en" and self.conditions_en:
            return self.conditions_en
        return self.conditions

    def period_from(self, start: date) -> date:
        """The last day of a membership of this type starting on ``start``."""
        if self.period == Period.CALENDAR:
            return date(start.year, 12, 31)
        try:
            return start.replace(year=start.year + 1) - timedelta(days=1)
        except ValueError:  # 29 February
            return start.replace(year=start.year + 1, day=28)


class MembershipStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Waiting for payment")
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")
    CANCELLED = "cancelled", _("Cancelled")

    OPEN: ClassVar[tuple[MembershipStatus, ...]]


# Waiting for its fee or in force: what a renewal or a new application must not double.
MembershipStatus.OPEN = (MembershipStatus.PENDING_PAYMENT, MembershipStatus.ACTIVE)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def in_force(self, day: date) -> MembershipQuerySet:
        """Active on ``day``, its grace period included."""
        return self.filter(
            status=MembershipStatus.ACTIVE, starts_on__lte=day, grace_ends_on__gte=day
        )


class Membership(models.Model):
    """One period of membership of a dossier: its type, its dates, its fee's invoice."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="memberships")
    member_type = models.ForeignKey(
        MemberType, on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING_PAYMENT,
    )
    # Planned dates while waiting for payment; the real ones once active.
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    grace_ends_on = models.DateField(_("grace period ends on"))
    fee = models.DecimalField(_("fee"), max_digits=9, decimal_places=2)
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    invoices = GenericRelation(
        "billing.Invoice",
        content_type_field="source_type",
        object_id_field="source_id",
        related_query_name="membership",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on"))
                & Q(grace_ends_on__gte=models.F("ends_on")),
                name="membership_dates_in_order",
            ),
            # One membership waiting for its fee per dossier at a time.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status=MembershipStatus.PENDING_PAYMENT),
                name="one_pending_membership_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_type.name} {self.starts_on.year} ({self.dossier.number})"

    @property
    def year(self) -> int:
        return self.starts_on.year

    def in_grace(self, day: date) -> bool:
        return self.status == MembershipStatus.ACTIVE and self.ends_on < day <= self.grace_ends_on


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Being reviewed by our staff")
    MORE_REQUESTED = "more_requested", _("Documents requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")

    OPEN: ClassVar[tuple[ApplicationStatus, ...]]


# Not decided yet: in the staff queue, or waiting for the person's documents.
ApplicationStatus.OPEN = (ApplicationStatus.SUBMITTED, ApplicationStatus.MORE_REQUESTED)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=ApplicationStatus.OPEN)

    def visible_to(self, account: Any) -> ApplicationQuerySet:
        """Its applicant's only (the account that applied)."""
        if not account.is_authenticated:
            return self.none()
        return self.filter(applicant=account)


class Application(models.Model):
    """« Demande d'adhésion »: a dossier asks to become a member of a type."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    member_type = models.ForeignKey(
        MemberType, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("sent on"), default=timezone.now)
    # When it last came back to the queue (submitted, or documents added).
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The refusal's reason, or what staff asked for.
    message = models.TextField(_("message from our staff"), blank=True)
    membership = models.OneToOneField(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status__in=list(ApplicationStatus.OPEN)),
                name="one_open_application_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_type.name} — {self.dossier}"

    @property
    def is_open(self) -> bool:
        return self.status in ApplicationStatus.OPEN


class DocumentKind(models.TextChoices):
    HIRING_RESOLUTION = "hiring_resolution", _("Hiring resolution")
    DIPLOMA = "diploma", _("Diploma copy")
    OTHER = "other", _("Other document")


class DocumentStorage(Storage):
    """``STORAGES["memberships"]`` when the deployment names one (an S3-compatible bucket
    shared by every app server), else the default storage — chosen at each call, so that
    nothing is read from the settings when the model is defined. Neither is served by
    URL: documents go out only through ``views.mine.document``, which checks the right."""

    def _target(self) -> Storage:
        if "memberships" in settings.STORAGES:
            return storages["memberships"]
        return storages["default"]

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        return self._target().save(name, content, max_length=max_length)

    def open(self, name: str, mode: str = "rb") -> Any:
        return self._target().open(name, mode)

    def delete(self, name: str) -> None:
        self._target().delete(name)

    def exists(self, name: str) -> bool:
        return self._target().exists(name)

    def size(self, name: str) -> int:
        return self._target().size(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self._target().listdir(path)

    def get_modified_time(self, name: str) -> Any:
        return self._target().get_modified_time(name)

    def url(self, name: str | None) -> str:
        return self._target().url(name)

    def path(self, name: str) -> str:
        return self._target().path(name)


_DOCUMENTS = DocumentStorage()


def document_storage() -> Storage:
    return _DOCUMENTS


def document_path(instance: ApplicationDocument, filename: str) -> str:
    # The name typed by the person is kept apart (``original_name``), never in the path.
    return f"memberships/applications/{uuid.uuid4().hex}.pdf"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(storage=document_storage, upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    pages = models.PositiveIntegerField(_("pages"), default=0)
    uploaded_at = models.DateTimeField(_("added on"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.original_name


class RenewalReminder(models.Model):
    """A renewal reminder sent (or being sent) for a membership: one row per threshold,
    so two sweeps at the same moment send it once (the second insert is refused)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "renewal reminder")
        verbose_name_plural = pgettext_lazy("model", "renewal reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "days_before"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} — {self.days_before}"

"""The catalog: trainings, events and recreation activities people register to.

Capacity is counted, not recounted: ``Offering.spots_taken`` (and ``Option.taken``) move
only through the registrations app's services, with a conditional UPDATE that cannot go
past ``capacity`` even when thousands of families submit in the same second.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class OfferingKind(models.TextChoices):
    TRAINING = "training", _("Training")
    EVENT = "event", _("Event")
    ACTIVITY = "activity", _("Activity")


class OfferingQuerySet(models.QuerySet["Offering"]):
    def published(self) -> OfferingQuerySet:
        return self.filter(published=True)

    def with_free_spots(self) -> OfferingQuerySet:
        return self.filter(spots_taken__lt=F("capacity"))


class RefundPolicy(models.TextChoices):
    FULL = "full", _("Full refund")
    FEE = "fee", _("Refund less the cancellation fee")
    NONE = "none", _("No refund")


class Offering(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=OfferingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address in the catalog"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=32, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)  # « mardis 18 h 30 »

    capacity = models.PositiveIntegerField(_("capacity"))
    spots_taken = models.PositiveIntegerField(_("spots taken"), default=0)
    member_price = models.DecimalField(
        _("member price"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    non_member_price = models.DecimalField(
        _("non-member price"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    tax_exempt = models.BooleanField(_("tax exempt"), default=False)
    childcare_eligible = models.BooleanField(_("eligible for the Relevé 24"), default=False)
    hours = models.DecimalField(
        _("hours (training credits)"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    # Registration window, opening and closing at set minutes (America/Montreal).
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    # After this, people can no longer modify or cancel online; staff can.
    change_deadline = models.DateTimeField(_("modification and cancellation deadline"))
    # What a cancellation gives back (credit note, then refund of what was paid).
    refund_policy = models.CharField(
        _("refund on cancellation"),
        max_length=8,
        choices=RefundPolicy.choices,
        default=RefundPolicy.FULL,
    )
    cancellation_fee = models.DecimalField(
        _("cancellation fee (before taxes)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    # How long a submitted cart holds its spot before the sweeper frees it.
    hold_minutes = models.PositiveSmallIntegerField(_("hold (minutes)"), default=20)
    # How long a waiting-list offer stays open.
    offer_hours = models.PositiveSmallIntegerField(_("waiting-list offer (hours)"), default=24)

    # Eligibility.
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    members_only = models.BooleanField(_("members only"), default=False)
    residents_only = models.BooleanField(_("residents only"), default=False)
    # Residents first: before this moment only residents may register.
    residents_first_until = models.DateTimeField(_("residents only until"), null=True, blank=True)
    one_per_person = models.BooleanField(_("one registration per person"), default=True)
    household_cap = models.PositiveSmallIntegerField(
        _("maximum registrations per household"), null=True, blank=True
    )

    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferingQuerySet.as_manager()

    # The French and English columns of each text a person reads, added by
    # django-modeltranslation (catalog/translation.py): ``title`` reads the page's language
    # and falls back to French; the unsuffixed column keeps the French text.
    title_fr: str | None
    title_en: str | None
    summary_fr: str | None
    summary_en: str | None
    description_fr: str | None
    description_en: str | None
    place_fr: str | None
    place_en: str | None
    schedule_fr: str | None
    schedule_en: str | None

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        indexes = [models.Index(fields=["published", "kind", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(spots_taken__lte=F("capacity")), name="offering_never_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="offering_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="offering_registration_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def spots_left(self) -> int:
        return max(0, self.capacity - self.spots_taken)

    def is_open(self, at: datetime | None = None) -> bool:
        moment = at or timezone.now()
        return self.registration_opens_at <= moment < self.registration_closes_at

    def can_change_online(self, at: datetime | None = None) -> bool:
        return (at or timezone.now()) < self.change_deadline


class Session(models.Model):
    """One meeting of a training or an activity."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    place_fr: str | None
    place_en: str | None

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offering} — {self.starts_at:%Y-%m-%d %H:%M}"


class OptionKind(models.TextChoices):
    OPTION = "option", _("Option")
    COMPANION = "companion", _("Companion")


class Option(models.Model):
    """An extra on a registration: a gala evening, a companion, a meal…"""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(
        _("kind"), max_length=16, choices=OptionKind.choices, default=OptionKind.OPTION
    )
    name = models.CharField(_("name"), max_length=200)
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    taken = models.PositiveIntegerField(_("taken"), default=0)
    max_per_registration = models.PositiveSmallIntegerField(
        _("at most per registration"), default=1
    )
    # UMQ: gala companions are paid by card only.
    card_only = models.BooleanField(_("card payment only"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    name_fr: str | None
    name_en: str | None

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=F("capacity")),
                name="option_never_overbooked",
            )
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    YES_NO = "yes_no", _("Yes or no")


class Question(models.Model):
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    label_fr: str | None
    label_en: str | None
    choices_fr: list[str] | None
    choices_en: list[str] | None

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label

    @property
    def answer_key(self) -> str:
        """The question as answers are kept under it: its French text, whatever the page's
        language, so an answer given in English is found again in French."""
        return self.label_fr or self.__dict__.get("label") or ""

    @property
    def choice_pairs(self) -> list[tuple[str, str]]:
        """(the French choice, kept as the answer; the choice shown in the page's language).
        The English list matches the French one item for item; a missing item shows French."""
        french = list(self.choices_fr or [])
        english = list(self.choices_en or [])
        if not (translation.get_language() or "fr").startswith("en"):
            return [(choice, choice) for choice in french]
        return [
            (choice, english[i] if i < len(english) and english[i] else choice)
            for i, choice in enumerate(french)
        ]


def document_path(instance: OfferingDocument, filename: str) -> str:
    return f"offerings/{instance.offering_id}/{filename}"


class OfferingDocument(models.Model):
    """Documentation of a training, for registered participants only."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    # Some documents are given only after the training (attendance confirmed).
    after_attendance = models.BooleanField(_("only after attending"), default=False)

    title_fr: str | None
    title_en: str | None

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

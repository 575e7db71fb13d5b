"""Registrations: one record per person per offering, with its own status.

A registration holds a spot from the moment its cart is submitted (``held``) until the
hold expires (the sweeper frees it) or the registration is confirmed. Who registered whom,
and under which right, is recorded on the registration and in the audit trail. Its
invoices are billing's, found through ``Registration.invoices`` (the registration is their
*source*; ``services/billing.py`` says what they bill).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.dossiers import permissions

if TYPE_CHECKING:
    from guichet.accounts.models import Account


class RegistrationStatus(models.TextChoices):
    HELD = "held", _("Spot held")
    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("Waiting list")
    OFFERED = "offered", _("Spot offered from the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")

    # The sets the code asks about, named once (set below the class: an enum's body
    # would make them members).
    # Spot and options counted: held, waiting for payment, confirmed.
    ACTIVE: ClassVar[tuple[RegistrationStatus, ...]]
    # The spot counted (``Offering.spots_taken``): the active ones and an offer.
    HOLDS_SPOT: ClassVar[tuple[RegistrationStatus, ...]]
    # One per person and offering (waiting list included); may still be changed.
    LIVE: ClassVar[tuple[RegistrationStatus, ...]]
    # Over: nothing more happens to it.
    OVER: ClassVar[tuple[RegistrationStatus, ...]]


RegistrationStatus.ACTIVE = (
    RegistrationStatus.HELD,
    RegistrationStatus.PENDING_PAYMENT,
    RegistrationStatus.CONFIRMED,
)
RegistrationStatus.HOLDS_SPOT = (*RegistrationStatus.ACTIVE, RegistrationStatus.OFFERED)
RegistrationStatus.LIVE = (
    *RegistrationStatus.ACTIVE,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
)
RegistrationStatus.OVER = (RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED)


class PriceCategory(models.TextChoices):
    MEMBER = "member", _("Member")
    NON_MEMBER = "non_member", _("Non-member")


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def active(self) -> RegistrationQuerySet:
        """Registrations that hold or keep a spot."""
        return self.filter(status__in=RegistrationStatus.ACTIVE)

    def visible_to(self, account: Account) -> RegistrationQuerySet:
        """Those the account registered and those of the dossier it holds; a child's made by
        another guardian only where the preset says guardians share (``permissions``)."""
        return self.filter(
            permissions.seen_by(
                account,
                permissions.READ_REGISTRATIONS,
                made_by="registered_by",
                dossier="participant",
            )
        )


class Registration(models.Model):
    offering = models.ForeignKey(
        "catalog.Offering", on_delete=models.PROTECT, related_name="registrations"
    )
    participant = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="registrations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations_made"
    )
    # The audit Right under which registered_by acted: self, guardian or delegate.
    right = models.CharField(_("under which right"), max_length=32)
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, db_index=True
    )
    price_category = models.CharField(
        _("price"), max_length=16, choices=PriceCategory.choices, default=PriceCategory.NON_MEMBER
    )
    # Prices and answers as they were when the person registered.
    unit_price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    created_at = models.DateTimeField(_("registered on"), default=timezone.now, db_index=True)
    # Its last change, whatever wrote it (``save`` below): the API's ``updated_since``.
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)
    held_until = models.DateTimeField(_("spot held until"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # The submission this registration came from (idempotency of double clicks).
    submission = models.ForeignKey(
        "Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    # Its invoices (billing's, issued with the registration as their source):
    # ``registration.invoices``, ``Invoice.objects.filter(registration=…)``. No column.
    invoices = GenericRelation(
        "billing.Invoice",
        content_type_field="source_type",
        object_id_field="source_id",
        related_query_name="registration",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["offering", "status", "created_at"]),
            models.Index(fields=["status", "held_until"]),
            models.Index(fields=["status", "offer_expires_at"]),
            # The API's synchronisation (``updated_since``) pages on (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="registration_updated_keyset"),
        ]
        constraints = [
            # One live registration per person and offering (waiting list included).
            models.UniqueConstraint(
                fields=["offering", "participant"],
                condition=Q(status__in=list(RegistrationStatus.LIVE)),
                name="one_live_registration_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.offering} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """``updated_at`` moves with every save, also one limited to some fields (the
        domain's services write with ``update_fields``)."""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    # What templates ask (they cannot name the enum).
    @property
    def is_held(self) -> bool:
        return self.status == RegistrationStatus.HELD

    @property
    def awaits_payment(self) -> bool:
        return self.status == RegistrationStatus.PENDING_PAYMENT

    @property
    def is_offered(self) -> bool:
        return self.status == RegistrationStatus.OFFERED

    @property
    def is_over(self) -> bool:
        """Cancelled or expired."""
        return self.status in RegistrationStatus.OVER

    @property
    def amount_due(self) -> Decimal:
        """Price and options as copied at registration time (what its invoices bill)."""
        options = sum(
            (line.unit_price * line.quantity for line in self.option_lines.all()), Decimal("0")
        )
        return self.unit_price + options


class RegistrationOption(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="option_lines"
    )
    option = models.ForeignKey("catalog.Option", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    # Companions are named (UMQ: registered after the participant).
    companion_name = models.CharField(_("companion's name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("option chosen")
        verbose_name_plural = _("options chosen")

    def __str__(self) -> str:
        return f"{self.option} × {self.quantity}"


class Submission(models.Model):
    """One submitted cart, keyed by the form's idempotency key: a retry or double click
    finds the same submission and its result instead of registering twice."""

    key = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "registration submission")
        verbose_name_plural = pgettext_lazy("model", "registration submissions")

    def __str__(self) -> str:
        return self.key


class CartLine(models.Model):
    """A line prepared before registration opens: who, which offering, which options."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_lines"
    )
    offering = models.ForeignKey("catalog.Offering", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    options = models.JSONField(default=dict, blank=True)  # {option_id: quantity}
    answers = models.JSONField(default=dict, blank=True)  # {question label: answer}
    companions = models.JSONField(default=dict, blank=True)  # {option_id: [names]}
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "cart line")
        verbose_name_plural = pgettext_lazy("model", "cart lines")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "offering", "participant"], name="one_cart_line_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.offering}"


class QueueTicket(models.Model):
    """A place in the virtual queue at an opening, served in arrival order."""

    opening = models.DateTimeField(db_index=True)  # the registration_opens_at it waits for
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    admitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "queue ticket")
        verbose_name_plural = pgettext_lazy("model", "queue tickets")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "account"], name="one_ticket_per_opening")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.account}"

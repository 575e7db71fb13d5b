"""Relevé 24: the payer's social insurance number, shared childcare amounts, the yearly
batches and the slips themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.audit.models import Right
from guichet.dossiers import permissions

if TYPE_CHECKING:
    from guichet.accounts.models import Account


class PayerTaxInfo(models.Model):
    """The payer's social insurance number (NAS), asked only for the Relevé 24.

    Stored encrypted (``core.crypto``); only the last three digits are kept in clear
    to show it masked (« *** *** 123 »)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="tax_info"
    )
    sin_encrypted = models.TextField()
    sin_last3 = models.CharField(max_length=3)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "payer's tax information")
        verbose_name_plural = pgettext_lazy("model", "payers' tax information")

    def __str__(self) -> str:
        return f"*** *** {self.sin_last3}"


class ChildcareSplit(models.Model):
    """Separated guardians who paid together share a child's amounts: ``payer`` gives
    ``percent`` of what it paid for ``child`` in ``year`` to ``other_payer``'s slip."""

    child = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    payer = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    other_payer = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "childcare expense split")
        verbose_name_plural = pgettext_lazy("model", "childcare expense splits")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "year", "payer"], name="one_split_per_payer_child_year"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="split_percent_range"
            ),
            models.CheckConstraint(condition=~Q(payer=F("other_payer")), name="split_two_payers"),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.year}: {self.percent} %"


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TaxSlipBatch(models.Model):
    """Staff generate a year's Relevé 24 slips at once; the page follows its progress."""

    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=BatchStatus.choices, default="pending")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    # What the run did: counts of slips issued, amended, cancelled, unchanged, and the
    # payers left without a slip for want of a NAS (``services/rl24_batch.py``).
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "tax slip batch")
        verbose_name_plural = pgettext_lazy("model", "tax slip batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"RL-24 {self.year} ({self.status})"


class SlipStatus(models.TextChoices):
    ORIGINAL = "R", _("Original")
    AMENDED = "A", _("Amended")
    CANCELLED = "D", _("Cancelled")


class TaxSlipRL24QuerySet(models.QuerySet["TaxSlipRL24"]):
    def visible_to(self, account: Account) -> TaxSlipRL24QuerySet:
        """A payer's own slips: the dossier the account holds is the payer."""
        return self.filter(
            permissions.seen_by(
                account, permissions.READ_BILLING, dossier="payer", rights=[Right.SELF]
            )
        )


class TaxSlipRL24(models.Model):
    """One Relevé 24 per payer, per child and per year. A correction is a new slip that
    amends (``A``) or cancels (``D``) the previous one, which is kept."""

    batch = models.ForeignKey(
        TaxSlipBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="slips"
    )
    year = models.PositiveSmallIntegerField(db_index=True)
    number = models.CharField(_("slip number"), max_length=32, unique=True)
    status = models.CharField(max_length=1, choices=SlipStatus.choices, default="R")
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current = models.BooleanField(default=True)
    payer = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    # Boxes as printed (see docs/releve24.md): B days of care, C/D/E amounts, H.
    data = models.JSONField(default=dict)
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2)
    payer_sin_last3 = models.CharField(max_length=3, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)

    objects = TaxSlipRL24QuerySet.as_manager()

    class Meta:
        ordering = ["-year", "child__last_name", "child__first_name"]
        verbose_name = _("Relevé 24")
        verbose_name_plural = _("Relevés 24")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "payer", "child"],
                condition=Q(current=True),
                name="one_current_slip_per_payer_child_year",
            )
        ]

    def __str__(self) -> str:
        return self.number

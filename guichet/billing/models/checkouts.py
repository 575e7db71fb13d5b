"""Card payments started on the provider's hosted page, and the webhooks it calls back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.billing.models.invoices import Invoice


class CheckoutStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")


class Checkout(models.Model):
    """A card payment started on the provider's hosted page (« Payer maintenant »)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="checkouts")
    provider = models.CharField(max_length=32)
    provider_id = models.CharField(max_length=255, unique=True)
    url = models.URLField(max_length=2000)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=16, choices=CheckoutStatus.choices, default=CheckoutStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "card checkout")
        verbose_name_plural = pgettext_lazy("model", "card checkouts")

    def __str__(self) -> str:
        return self.provider_id


class WebhookEvent(models.Model):
    """Every webhook call received, signed or not: the same event id is handled once."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255, blank=True)
    event_type = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    signature_valid = models.BooleanField(default=False)
    outcome = models.CharField(max_length=255, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "payment provider event")
        verbose_name_plural = pgettext_lazy("model", "payment provider events")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"],
                condition=Q(signature_valid=True),
                name="one_valid_event_per_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"

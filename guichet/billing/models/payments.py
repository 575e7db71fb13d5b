"""Money received for an invoice, or given back."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.billing.models.invoices import Invoice, PaymentMethod

if TYPE_CHECKING:
    from guichet.accounts.models import Account


class PaymentQuerySet(models.QuerySet["Payment"]):
    def visible_to(self, account: Account) -> PaymentQuerySet:
        return self.filter(invoice__in=Invoice.objects.visible_to(account))


class Payment(models.Model):
    """Money received for an invoice, or given back (a refund: negative amount)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    received_on = models.DateField(_("received on"), default=timezone.localdate, db_index=True)
    recorded_at = models.DateTimeField(_("recorded on"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who paid (the Relevé 24 counts what each payer actually paid).
    payer_dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments_made",
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)  # cheque no.
    # The provider's id of the payment or refund: the same event twice records once.
    provider_reference = models.CharField(max_length=255, null=True, blank=True, unique=True)
    receipt_number = models.CharField(
        _("receipt number"), max_length=32, null=True, blank=True, unique=True
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="payment_not_zero")]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"

    @property
    def is_refund(self) -> bool:
        return self.amount < 0

    @property
    def amount_in_words(self) -> Decimal:
        """The amount as a sentence or a labelled line says it: positive, whether it was
        received or given back (the kind of movement says which)."""
        return abs(self.amount)

"""Invoices and credit notes: what is owed, to whom, and for what.

An issued document is never edited. An invoice is corrected or cancelled by a credit
note; money received (or given back) is a ``Payment`` row, negative for a refund. The
invoice keeps two running sums, ``amount_paid`` and ``amount_credited``, moved only by
the billing services under a row lock, so its balance is read without adding rows up.
Documents are numbered per kind and per year without gaps (``numbering.py``).

Billing knows payers, not domains: what an invoice is for is its *source* (a content type
and an id: a registration today, a membership tomorrow), which billing stores, finds
(``Invoice.objects.for_source``) and describes through ``billing.sources``, but never
imports. A domain that wants ``registration.invoices`` declares a ``GenericRelation``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.audit.models import Right
from guichet.core.money import ZERO
from guichet.dossiers import permissions

if TYPE_CHECKING:
    from guichet.accounts.models import Account


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    RECEIPT = "receipt", _("Receipt")
    RL24 = "rl24", _("Relevé 24")


class NumberSequence(models.Model):
    """The last number given to a kind of document in a year. Its row is locked by the
    transaction that issues a document, so a rolled-back issue gives its number back."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "document number sequence")
        verbose_name_plural = pgettext_lazy("model", "document number sequences")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="one_sequence_per_kind_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Credit card")
    INTERAC = "interac", _("Interac e-Transfer")
    TRANSFER = "transfer", _("Bank transfer or direct deposit")
    CHEQUE = "cheque", _("Cheque")
    # In person, at the counter (docs/backoffice.md): recorded by staff, never chosen online.
    CASH = "cash", _("Cash")
    DEBIT = "debit", _("Debit card (terminal)")


OFFLINE_METHODS = (PaymentMethod.INTERAC, PaymentMethod.TRANSFER, PaymentMethod.CHEQUE)


class InvoiceStatus(models.TextChoices):
    """Derived from the running sums; stored nowhere."""

    UNPAID = "unpaid", _("Unpaid")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    CREDITED = "credited", _("Credited")
    REFUND_DUE = "refund_due", _("Refund due")


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def visible_to(self, account: Account) -> InvoiceQuerySet:
        """Invoices addressed to the account or to a dossier it acts for as its own (the
        dossier it holds), and those it caused as a delegate. A second guardian sees the
        first guardian's only where the preset says guardians share; the participant does
        not see what their guardian owes. Subqueries, not joins: no duplicate rows, so
        callers may aggregate on it directly."""
        addressed = permissions.seen_by(
            account,
            permissions.READ_BILLING,
            made_by=("payer_account", "caused_by"),
            dossier="payer_dossier",
        )
        shared = permissions.seen_by(
            account, permissions.READ_BILLING, dossier="participant", rights=[Right.GUARDIAN]
        )
        return self.filter(addressed | shared)

    def open(self) -> InvoiceQuerySet:
        """Something is still owed."""
        return self.filter(total__gt=F("amount_paid") + F("amount_credited"))

    def for_source(self, source: models.Model) -> InvoiceQuerySet:
        """The invoices issued for ``source`` (a registration, a membership…)."""
        return self.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )

    def same_source(self, invoice: Invoice) -> InvoiceQuerySet:
        """The invoices issued for the same source as ``invoice`` (itself included); none
        when it has no source."""
        if invoice.source_id is None:
            return self.none()
        return self.filter(source_type_id=invoice.source_type_id, source_id=invoice.source_id)

    def overdue(self, now: datetime | None = None) -> InvoiceQuerySet:
        """Past their due time with something still owed: ``invoice_overdue`` is announced
        for each (``services.overdue.announce_overdue``)."""
        return self.open().filter(due_at__lt=now or timezone.now())


class Invoice(models.Model):
    number = models.CharField(_("invoice number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField(_("issued on"), default=timezone.now, db_index=True)
    # Its last change (a payment, a credit, a due date), whatever wrote it (``save``
    # below): the API's ``updated_since``.
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)
    # Unpaid at this moment, the invoice is announced overdue (``signals.invoice_overdue``:
    # a registration then expires). ``None``: it never is (e.g. something was paid).
    due_at = models.DateTimeField(_("payable before"), null=True, blank=True)
    language = models.CharField(max_length=8, default="fr")

    # To whom it is addressed: the guardian who registered a child, a delegate's
    # organization, or the participant. The name and address are kept as issued.
    payer_dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices_to_pay",
    )
    payer_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    caused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices_caused",
    )
    payer_name = models.CharField(_("billed to"), max_length=255)
    payer_address = models.TextField(_("address"), blank=True)
    payer_email = models.EmailField(_("email"), blank=True)

    # What it is for (its source): a registration today, a membership fee later. Billing
    # never reads the source's tables; ``billing.sources`` says how to describe and link it.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    participant = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices_for",
    )
    description = models.CharField(_("description"), max_length=255, blank=True)

    subtotal = models.DecimalField(_("subtotal"), max_digits=12, decimal_places=2)
    gst = models.DecimalField(_("GST"), max_digits=12, decimal_places=2)
    qst = models.DecimalField(_("QST"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(
        _("paid"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    amount_credited = models.DecimalField(
        _("credited"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # The operator's registration numbers, as printed on the document.
    gst_number = models.CharField(max_length=32, blank=True)
    qst_number = models.CharField(max_length=32, blank=True)

    card_only = models.BooleanField(_("card payment only"), default=False)
    # « Envoyer »: the payer said they would pay offline (instructions shown and emailed).
    offline_method = models.CharField(
        _("payment method chosen"), max_length=16, choices=PaymentMethod.choices, blank=True
    )
    offline_chosen_at = models.DateTimeField(null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [
            models.Index(fields=["due_at"]),
            models.Index(fields=["source_type", "source_id"], name="invoice_source"),
            # The API's synchronisation (``updated_since``) pages on (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="invoice_updated_keyset"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("gst") + F("qst")), name="invoice_adds_up"
            ),
            models.CheckConstraint(
                condition=Q(amount_credited__gte=0) & Q(amount_credited__lte=F("total")),
                name="invoice_credit_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        """``updated_at`` moves with every save, also one limited to some fields (the
        domain's services write with ``update_fields``)."""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    @property
    def balance(self) -> Decimal:
        """Still owed (negative: the operator owes the payer a refund)."""
        return self.total - self.amount_credited - self.amount_paid

    @property
    def refund_due(self) -> Decimal:
        """What the operator owes back, as a positive amount (zero when nothing is)."""
        return max(-self.balance, ZERO)

    @property
    def status(self) -> InvoiceStatus:
        balance = self.balance
        if balance < ZERO:
            return InvoiceStatus.REFUND_DUE
        if self.amount_credited and self.amount_credited == self.total:
            return InvoiceStatus.CREDITED
        if balance == ZERO:
            return InvoiceStatus.PAID
        if self.amount_paid > ZERO:
            return InvoiceStatus.PARTIALLY_PAID
        return InvoiceStatus.UNPAID

    def get_status_display(self) -> Any:
        """Lazy: a PDF rendered in the payer's language translates it then."""
        return self.status.label


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    tax_exempt = models.BooleanField(_("tax exempt"), default=False)
    gst = models.DecimalField(_("GST"), max_digits=12, decimal_places=2)
    qst = models.DecimalField(_("QST"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    card_only = models.BooleanField(_("card payment only"), default=False)
    # Childcare expenses count toward the Relevé 24 of the child.
    childcare_eligible = models.BooleanField(default=False)
    # What the source says this line bills (« option:42 »), so it can credit or add to it
    # later; opaque to billing.
    reference = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("amount") + F("gst") + F("qst")), name="invoice_line_adds_up"
            )
        ]

    def __str__(self) -> str:
        return self.description


class CreditNoteQuerySet(models.QuerySet["CreditNote"]):
    def visible_to(self, account: Account) -> CreditNoteQuerySet:
        return self.filter(invoice__in=Invoice.objects.visible_to(account))


class CreditNote(models.Model):
    """Cancels all or part of an invoice. Amounts are positive: what is credited."""

    number = models.CharField(_("credit note number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField()
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    issued_at = models.DateTimeField(_("issued on"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=255)
    # reason_fr, reason_en: added by django-modeltranslation (billing/translation.py).
    subtotal = models.DecimalField(_("subtotal"), max_digits=12, decimal_places=2)
    gst = models.DecimalField(_("GST"), max_digits=12, decimal_places=2)
    qst = models.DecimalField(_("QST"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)

    objects = CreditNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("gst") + F("qst")),
                name="credit_note_adds_up",
            ),
            models.CheckConstraint(condition=Q(total__gt=0), name="credit_note_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class CreditNoteLine(models.Model):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="lines")
    invoice_line = models.ForeignKey(
        InvoiceLine, null=True, blank=True, on_delete=models.PROTECT, related_name="credits"
    )
    description = models.CharField(_("description"), max_length=255)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    gst = models.DecimalField(_("GST"), max_digits=12, decimal_places=2)
    qst = models.DecimalField(_("QST"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = pgettext_lazy("model", "credit note line")
        verbose_name_plural = pgettext_lazy("model", "credit note lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description

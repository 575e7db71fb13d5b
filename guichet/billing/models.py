"""Billing: invoices, credit notes, payments, card checkouts and Relevé 24 slips.

An issued document is never edited. An invoice is corrected or cancelled by a credit
note; money received (or given back) is a ``Payment`` row, negative for a refund. The
invoice keeps two running sums, ``amount_paid`` and ``amount_credited``, moved only by
the billing services under a row lock, so its balance is read without adding rows up.
Documents are numbered per kind and per year without gaps (``numbering.py``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.audit.models import Right
from guichet.core.money import ZERO
from guichet.dossiers import permissions


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


OFFLINE_METHODS = (PaymentMethod.INTERAC, PaymentMethod.TRANSFER, PaymentMethod.CHEQUE)


class InvoiceStatus(models.TextChoices):
    """Derived from the running sums; stored nowhere."""

    UNPAID = "unpaid", _("Unpaid")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    CREDITED = "credited", _("Credited")
    REFUND_DUE = "refund_due", _("Refund due")


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def visible_to(self, account: settings.AUTH_USER_MODEL) -> InvoiceQuerySet:
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


class Invoice(models.Model):
    number = models.CharField(_("invoice number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField(_("issued on"), default=timezone.now, db_index=True)
    # An unpaid registration expires at this moment (``None``: no expiry, e.g. partly paid).
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

    # What it is for: a registration today, a membership fee later.
    registration = models.ForeignKey(
        "registrations.Registration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
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
        indexes = [models.Index(fields=["due_at"])]
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
    # The registration option billed here (options changed later are credited or added).
    option = models.ForeignKey(
        "catalog.Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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
    def visible_to(self, account: settings.AUTH_USER_MODEL) -> CreditNoteQuerySet:
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
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class PaymentQuerySet(models.QuerySet["Payment"]):
    def visible_to(self, account: settings.AUTH_USER_MODEL) -> PaymentQuerySet:
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


# --- Relevé 24 -------------------------------------------------------------------------


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
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"RL-24 {self.year} ({self.status})"


class SlipStatus(models.TextChoices):
    ORIGINAL = "R", _("Original")
    AMENDED = "A", _("Amended")
    CANCELLED = "D", _("Cancelled")


class TaxSlipRL24QuerySet(models.QuerySet["TaxSlipRL24"]):
    def visible_to(self, account: settings.AUTH_USER_MODEL) -> TaxSlipRL24QuerySet:
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

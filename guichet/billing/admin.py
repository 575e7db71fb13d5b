"""Billing in the Django admin: read-only. Issued documents never change; money moves
only through the billing services (the staff payment queue, the webhook, credit notes),
which keep the running sums and the audit trail right."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.billing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    Payment,
    TaxSlipBatch,
    TaxSlipRL24,
    WebhookEvent,
)


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InvoiceLineInline(ReadOnly, admin.TabularInline):
    model = InvoiceLine
    fields = ["description", "quantity", "unit_price", "amount", "gst", "qst", "total"]


class PaymentInline(ReadOnly, admin.TabularInline):
    model = Payment
    fields = ["received_on", "method", "amount", "reference", "receipt_number"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "issued_at", "payer_name", "total", "amount_paid", "status"]
    list_filter = ["year", "offline_method", "card_only"]
    search_fields = ["number", "payer_name", "payer_email"]
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline, PaymentInline]


class CreditNoteLineInline(ReadOnly, admin.TabularInline):
    model = CreditNoteLine
    fields = ["description", "amount", "gst", "qst", "total"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "issued_at", "invoice", "total", "reason"]
    search_fields = ["number", "invoice__number"]
    inlines = [CreditNoteLineInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["invoice", "received_on", "method", "amount", "receipt_number", "reference"]
    list_filter = ["method"]
    search_fields = ["invoice__number", "receipt_number", "reference"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["received_at", "provider", "event_type", "signature_valid", "outcome"]
    list_filter = ["provider", "signature_valid"]


@admin.register(TaxSlipBatch)
class TaxSlipBatchAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["year", "status", "done", "total", "created_at"]


@admin.register(TaxSlipRL24)
class TaxSlipRL24Admin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "year", "status", "payer", "child", "amount_paid", "current"]
    list_filter = ["year", "status", "current"]
    exclude = ["data"]

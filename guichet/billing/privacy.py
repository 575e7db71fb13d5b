"""What billing gives to a person's archive and what it keeps when their account closes.

Registered with privacy from ``BillingConfig.ready``. Accounting documents (invoices,
credit notes, payments, Relevés 24) are kept as issued, six years at least, as tax law
requires (and never deleted: ``receivers.py``); only the social insurance number, which
served the Relevé 24 alone, is erased.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.billing import documents
from guichet.billing.models import (
    BatchStatus,
    CreditNote,
    Invoice,
    PayerTaxInfo,
    Payment,
    TaxSlipBatch,
    TaxSlipRL24,
)
from guichet.core.pdf import render_pdf
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier
from guichet.privacy.registry import (
    Closing,
    Contributor,
    Document,
    Kept,
    Portion,
    SensitiveView,
    Table,
)


def export(account: Any) -> Portion:
    invoices = list(
        Invoice.objects.visible_to(account)
        .select_related("participant")
        .prefetch_related("lines")
        .order_by("issued_at", "id")
    )
    rows = [
        {
            "number": i.number,
            "issued_at": i.issued_at,
            "payer_name": i.payer_name,
            "payer_address": i.payer_address,
            "payer_email": i.payer_email,
            "participant_file": i.participant.number if i.participant else None,
            "description": i.description,
            "subtotal": i.subtotal,
            "gst": i.gst,
            "qst": i.qst,
            "total": i.total,
            "paid": i.amount_paid,
            "credited": i.amount_credited,
            "status": i.status.value,
        }
        for i in invoices
    ]
    lines = [
        {
            "invoice": i.number,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "amount": line.amount,
            "gst": line.gst,
            "qst": line.qst,
            "total": line.total,
        }
        for i in invoices
        for line in i.lines.all()
    ]
    notes = list(CreditNote.objects.visible_to(account).select_related("invoice").order_by("id"))
    credit_notes = [
        {
            "number": n.number,
            "invoice": n.invoice.number,
            "issued_at": n.issued_at,
            "reason": n.reason,
            "total": n.total,
        }
        for n in notes
    ]
    payments = [
        {
            "invoice": p.invoice.number,
            "method": p.method,
            "amount": p.amount,
            "received_on": p.received_on,
            "receipt_number": p.receipt_number,
            "reference": p.reference,
        }
        for p in Payment.objects.visible_to(account).select_related("invoice").order_by("id")
    ]
    slips = [
        {
            "number": s.number,
            "year": s.year,
            "status": s.status,
            "child_file": s.child.number,
            "amount_paid": s.amount_paid,
            "boxes": s.data,
        }
        for s in TaxSlipRL24.objects.visible_to(account).select_related("child").order_by("id")
    ]
    held = permissions.held_dossier(account)
    tax_info = [
        {"file": t.dossier.number, "social_insurance_number": str(t), "updated_at": t.updated_at}
        for t in PayerTaxInfo.objects.filter(dossier=held).select_related("dossier")
    ]
    pdfs = [invoice_pdf(i) for i in invoices] + [credit_note_pdf(n) for n in notes]
    return Portion(
        tables=[
            Table("invoices", _("Your invoices, as issued."), rows),
            Table("invoice_lines", _("The lines of each invoice."), lines),
            Table("credit_notes", _("Credit notes on your invoices."), credit_notes),
            Table("payments", _("Payments and refunds."), payments),
            Table("releve24", _("Your Relevé 24 slips (childcare expenses)."), slips),
            Table(
                "tax_info",
                _("Your social insurance number, masked (only its last three digits)."),
                tax_info,
            ),
        ],
        documents=pdfs,
    )


def invoice_pdf(invoice: Invoice) -> Document:
    with translation.override(invoice.language):
        context = documents.invoice_context(invoice)
    content = render_pdf("billing/pdf/invoice.html", context, language=invoice.language)
    return Document(f"facture-{invoice.number}.pdf", content, _("An invoice, as a PDF."))


def credit_note_pdf(note: CreditNote) -> Document:
    content = render_pdf(
        "billing/pdf/credit_note.html",
        documents.credit_note_context(note),
        language=note.invoice.language,
    )
    return Document(f"note-de-credit-{note.number}.pdf", content, _("A credit note, as a PDF."))


def holds(account: Any) -> str | None:
    """Money still owed either way: the account stays until it is settled."""
    owed = Invoice.objects.filter(payer_account=account).exclude(
        total=F("amount_paid") + F("amount_credited")
    )
    return "open_invoices" if owed.exists() else None


def slip_shown(kwargs: dict[str, Any]) -> list[Any]:
    slip = TaxSlipRL24.objects.filter(pk=kwargs.get("pk") or 0).select_related("payer").first()
    return [slip.payer] if slip else []


def batch_shown(kwargs: dict[str, Any]) -> list[Any]:
    """A finished Relevé 24 batch lists its year's slips (each payer and child) and the
    payers still missing a NAS."""
    batch = TaxSlipBatch.objects.filter(pk=kwargs.get("pk") or 0).first()
    if batch is None or batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING):
        return []
    slips = TaxSlipRL24.objects.filter(year=batch.year)
    missing = [row.get("payer_number") for row in (batch.report or {}).get("missing_sin", [])]
    return list(
        Dossier.objects.filter(
            Q(pk__in=slips.values("payer_id"))
            | Q(pk__in=slips.values("child_id"))
            | Q(number__in=[number for number in missing if number])
        )
    )


def invoice_shown(kwargs: dict[str, Any]) -> list[Any]:
    found = Invoice.objects.filter(pk=kwargs.get("pk") or 0).select_related("payer_dossier")
    return [invoice.payer_dossier for invoice in found if invoice.payer_dossier]


def anonymize(closing: Closing) -> dict[str, int]:
    erased = PayerTaxInfo.objects.filter(dossier__in=[d.pk for d in closing.dossiers])
    return {"social_insurance_numbers": erased.delete()[0]}


CONTRIBUTOR = Contributor(
    "billing",
    _("Invoices and payments"),
    order=300,
    export=export,
    anonymize=anonymize,
    holds=holds,
    # A Relevé 24 shows the payer's social insurance number; its batch lists the payers
    # and children; an invoice's payments page, the payer's name and address.
    sensitive_views=(
        SensitiveView(
            "billing:rl24_staff_slip", "tax_slip", slip_shown, _("Relevé 24 (with the NAS)")
        ),
        SensitiveView("billing:rl24_staff_batch", "tax_slips", batch_shown, _("Relevé 24 batch")),
        SensitiveView(
            "billing:staff_invoice_payments", "invoice", invoice_shown, _("An invoice's payments")
        ),
    ),
    erases=(_("Your social insurance number (asked only for the Relevé 24)."),),
    kept=(
        Kept(
            _(
                "Invoices, credit notes, receipts and Relevés 24, as issued, with the name "
                "and address they were issued to."
            ),
            _("Six years after the end of the year they concern"),
            _(
                "Quebec's and Canada's tax laws require accounting records to be kept; "
                "they are never deleted, and their numbering stays without gaps."
            ),
            fields=(
                "billing.Invoice.payer_name",
                "billing.Invoice.payer_address",
                "billing.Invoice.payer_email",
                "billing.Invoice.description",
                "billing.InvoiceLine.description",
                "billing.CreditNote.reason",
                "billing.CreditNote.reason_fr",
                "billing.CreditNote.reason_en",
                "billing.CreditNoteLine.description",
                "billing.Payment.reference",
                "billing.Payment.note",
                "billing.TaxSlipRL24.data",
                "billing.TaxSlipRL24.payer_sin_last3",
            ),
        ),
    ),
)

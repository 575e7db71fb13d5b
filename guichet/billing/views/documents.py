"""« Mes factures et crédits », the invoice page, the statement of account and every PDF.

Each view fetches through a scoped queryset (``visible_to``), so an id that is not the
person's answers 404. PDFs are rendered in the payer's language and never cached.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guichet.accounts.types import SignedInRequest
from guichet.billing import documents
from guichet.billing.models import CreditNote, Invoice, Payment
from guichet.core.forms import DateField
from guichet.core.pdf import pdf_response, render_pdf
from guichet.core.shell import page_context, require_section
from guichet.dossiers import permissions

PAGE_SIZE = 20


def private_pdf(content: bytes, filename: str) -> HttpResponse:
    response = pdf_response(content, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def mine(request: SignedInRequest) -> HttpResponse:
    """« Mes factures et crédits », in the « Mon dossier » menu."""
    require_section("invoices")
    page = Paginator(documents.invoices_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "invoice": invoice,
            "for_whom": documents.for_whom(invoice),
        }
        for invoice in page.object_list
    ]
    context = page_context(
        "invoices",
        dossier=permissions.held_dossier(request.user),
        page=page,
        rows=rows,
        owed=documents.owed_by(request.user),
    )
    return render(request, "billing/mine.html", context)


def visible_invoice(request: SignedInRequest, pk: int) -> Invoice:
    return get_object_or_404(
        Invoice.objects.visible_to(request.user).select_related("participant"), pk=pk
    )


@login_required
@require_GET
def invoice(request: SignedInRequest, pk: int) -> HttpResponse:
    """The invoice as issued, what was received and credited, then how to pay it."""
    found = visible_invoice(request, pk)
    context = documents.invoice_context(found, request.user)
    context["others"] = documents.other_invoices(found, request.user)
    return render(request, "billing/invoice.html", context)


@login_required
@require_GET
def invoice_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    found = visible_invoice(request, pk)
    with translation.override(found.language):  # what it is for, in the payer's words
        context = documents.invoice_context(found)
    content = render_pdf("billing/pdf/invoice.html", context, language=found.language)
    return private_pdf(content, f"facture-{found.number}.pdf")


@login_required
@require_GET
def credit_note_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(
        CreditNote.objects.visible_to(request.user).select_related("invoice"), pk=pk
    )
    content = render_pdf(
        "billing/pdf/credit_note.html",
        documents.credit_note_context(note),
        language=note.invoice.language,
    )
    return private_pdf(content, f"note-de-credit-{note.number}.pdf")


@login_required
@require_GET
def receipt_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    """A receipt exists for money received; a refund has none."""
    payment = get_object_or_404(
        Payment.objects.visible_to(request.user)
        .filter(receipt_number__isnull=False)
        .select_related("invoice"),
        pk=pk,
    )
    content = render_pdf(
        "billing/pdf/receipt.html",
        documents.receipt_context(payment),
        language=payment.invoice.language,
    )
    return private_pdf(content, f"recu-{payment.receipt_number}.pdf")


class PeriodForm(forms.Form):
    start = DateField(label=pgettext_lazy("period", "From"))
    end = DateField(label=pgettext_lazy("period", "To"))

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must come after its start."))
        return cleaned


def period(request: HttpRequest) -> tuple[PeriodForm, date | None, date | None]:
    """The period asked for, the current year by default; ``None`` when the dates are bad."""
    start, end = documents.default_period()
    if "start" not in request.GET and "end" not in request.GET:
        return PeriodForm(initial={"start": start, "end": end}), start, end
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["start"], form.cleaned_data["end"]


@login_required
@require_GET
def statement(request: SignedInRequest) -> HttpResponse:
    """« Relevé de compte »: what was charged, credited, paid and refunded in a period."""
    form, start, end = period(request)
    return statement_page(request, form, start, end)


def statement_page(
    request: HttpRequest, form: PeriodForm, start: date | None, end: date | None
) -> HttpResponse:
    found = documents.statement_for(request.user, start, end) if start and end else None
    query = f"start={start.isoformat()}&end={end.isoformat()}" if start and end else ""
    context = page_context("invoices", form=form, statement=found, query=query)
    context["title"] = _("Statement of account")
    return render(request, "billing/statement.html", context)


@login_required
@require_GET
def statement_pdf(request: SignedInRequest) -> HttpResponse:
    form, start, end = period(request)
    if not (start and end):
        return statement_page(request, form, None, None)
    language = getattr(request.user, "language", "") or get_language()
    with translation.override(language):  # the lines' labels are written in it
        found = documents.statement_for(request.user, start, end)
    content = render_pdf(
        "billing/pdf/statement.html",
        {
            "statement": found,
            "account": request.user,
            "billing": documents.operator_billing(),
            "issued_on": timezone.localdate(),
        },
        language=language,
    )
    return private_pdf(content, f"releve-de-compte-{start.isoformat()}-{end.isoformat()}.pdf")

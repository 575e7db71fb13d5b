"""Accounting (role Comptabilité): a period's totals and tax-return figures, and its
invoices, credit notes, payments and refunds exported in CSV or XLSX, streamed."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.backoffice.reports.services import accounting
from guichet.backoffice.reports.services.accounting import Kind
from guichet.core.features import require_feature
from guichet.core.forms import DateField
from guichet.core.roles import Role
from guichet.core.staff import acting_role, role_required
from guichet.presets import Feature

ROLES = (Role.ACCOUNTING,)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class PeriodForm(forms.Form):
    start = DateField(label=pgettext_lazy("period", "From"))
    end = DateField(label=pgettext_lazy("period", "To"))

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must come after its start."))
        return cleaned


def this_month(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def _period(request: HttpRequest) -> tuple[PeriodForm, date | None, date | None]:
    """The period asked for, this month by default; ``None`` when the dates are bad."""
    if "start" not in request.GET and "end" not in request.GET:
        start, end = this_month()
        return PeriodForm(initial={"start": start, "end": end}), start, end
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["start"], form.cleaned_data["end"]


def _page(
    request: HttpRequest, form: PeriodForm, start: date | None, end: date | None, status: int = 200
) -> HttpResponse:
    found = accounting.period(start, end) if start and end else None
    query = f"start={start.isoformat()}&end={end.isoformat()}" if start and end else ""
    exports = [
        (kind, label)
        for kind, label in (
            (Kind.INVOICES, _("Invoices")),
            (Kind.CREDIT_NOTES, _("Credit notes")),
            (Kind.PAYMENTS, _("Payments and refunds")),
        )
    ]
    rows = (
        [
            (_("Invoices"), "invoices", found.invoices),
            (_("Credit notes"), "credit_notes", found.credit_notes),
        ]
        if found
        else []
    )
    context = {"form": form, "period": found, "query": query, "exports": exports, "rows": rows}
    return render(request, "backoffice/reports/accounting.html", context, status=status)


@role_required(*ROLES)
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    require_feature(Feature.BILLING)
    form, start, end = _period(request)
    return _page(request, form, start, end, 200 if start else 400)


@role_required(*ROLES)
@require_GET
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """One export, streamed: CSV chunk by chunk as rows are read; XLSX written by a
    write-only workbook to a temporary file, then sent in blocks."""
    require_feature(Feature.BILLING)
    if fmt not in FORMATS or kind not in Kind._value2member_map_:
        raise Http404
    form, start, end = _period(request)
    if not (start and end):
        return _page(request, form, None, None, status=400)
    table = accounting.table(Kind(kind), start, end)
    record(
        Action.ACCOUNTING_EXPORTED,
        actor=request.user,
        right=Right.STAFF,
        request=request,
        data={
            "role": acting_role(request.user, ROLES),
            "export": kind,
            "format": fmt,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )
    filename = f"{table.name}.{fmt}"
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(
            accounting.csv_chunks(table), content_type=FORMATS["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            accounting.xlsx_file(table),
            as_attachment=True,
            filename=filename,
            content_type=FORMATS["xlsx"],
        )
    response["Cache-Control"] = "private, no-store"
    return response

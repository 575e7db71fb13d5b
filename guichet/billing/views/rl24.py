"""Relevé 24 pages: the payer's slips, amounts, NAS and split; the staff batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.types import SignedInRequest
from guichet.audit.models import Right
from guichet.billing import sin
from guichet.billing.forms.rl24 import BatchYearForm, SinForm, SplitForm
from guichet.billing.models import (
    BatchStatus,
    ChildcareSplit,
    PayerTaxInfo,
    TaxSlipBatch,
    TaxSlipRL24,
)
from guichet.billing.services import rl24, rl24_batch
from guichet.core.features import require_feature
from guichet.core.money import ZERO
from guichet.core.pdf import pdf_response, render_pdf
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.dossiers.models import Dossier
from guichet.dossiers.permissions import WRITE_BILLING, dossier_for, held_dossier
from guichet.presets import Feature

RECENT_BATCHES = 20


def shown_years() -> list[int]:
    """The payer sees what will be reported for last year and the current year."""
    this_year = timezone.localdate().year
    return [this_year - 1, this_year]


# --- The payer's page -------------------------------------------------------------------


@dataclass
class ChildRow:
    child: Dossier
    amount: rl24.ChildAmount
    split: ChildcareSplit | None = None
    split_form: SplitForm | None = None
    split_with: str = ""


@dataclass
class YearAmounts:
    year: int
    rows: list[ChildRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.amount.amount for row in self.rows), ZERO)


def _split_form(
    payer: Dossier,
    child: Dossier,
    year: int,
    data: Any = None,
    *,
    guardians: list[Dossier] | None = None,
    existing: ChildcareSplit | None = None,
) -> SplitForm | None:
    """The split form for one child, or None when the child has no other guardian."""
    if guardians is None:
        guardians = list(rl24.guardian_payers(child))
        existing = ChildcareSplit.objects.filter(child=child, year=year, payer=payer).first()
    others = [(other.pk, rl24.short_name(other)) for other in guardians if other.pk != payer.pk]
    if not others:
        return None
    initial = (
        {"other_payer": existing.other_payer_id, "percent": existing.percent} if existing else {}
    )
    return SplitForm(data, others=others, initial=initial, prefix=f"partage-{year}-{child.pk}")


def _amounts(
    payer: Dossier, bound_split: tuple[int, int, SplitForm] | None = None
) -> list[YearAmounts]:
    years: list[YearAmounts] = []
    for year in reversed(shown_years()):
        rows = [row for row in rl24.amounts_for_year(year, payer) if row.amount or row.paid]
        if not rows:
            continue
        children = Dossier.objects.in_bulk([row.child_id for row in rows])
        guardians = rl24.guardian_payers_of(children)
        splits = {
            s.child_id: s
            for s in ChildcareSplit.objects.filter(year=year, payer=payer).select_related(
                "other_payer"
            )
        }
        block = YearAmounts(year)
        for row in rows:
            child = children[row.child_id]
            line = ChildRow(child=child, amount=row, split=splits.get(child.pk))
            if line.split:
                line.split_with = rl24.short_name(line.split.other_payer)
            if row.paid > ZERO:
                if bound_split and bound_split[:2] == (year, child.pk):
                    line.split_form = bound_split[2]
                else:
                    line.split_form = _split_form(
                        payer,
                        child,
                        year,
                        guardians=guardians.get(child.pk, []),
                        existing=line.split,
                    )
            block.rows.append(line)
        years.append(block)
    return years


def _payer_page(
    request: SignedInRequest,
    payer: Dossier | None,
    *,
    sin_form: SinForm | None = None,
    bound_split: tuple[int, int, SplitForm] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {"payer": payer}
    if payer is not None:
        tax_info = PayerTaxInfo.objects.filter(dossier=payer).first()
        years = _amounts(payer, bound_split)
        slips = list(
            TaxSlipRL24.objects.visible_to(request.user)
            .filter(current=True)
            .select_related("child")
            .order_by("-year", "child__first_name", "id")
        )
        slip_years: dict[int, list[TaxSlipRL24]] = {}
        for slip in slips:
            slip_years.setdefault(slip.year, []).append(slip)
        context.update(
            years=years,
            slip_years=sorted(slip_years.items(), reverse=True),
            sin_on_file=sin.masked(tax_info.sin_last3) if tax_info else "",
            needs_sin=tax_info is None and any(block.total > ZERO for block in years),
            sin_form=sin_form or SinForm(prefix="nas"),
        )
    return render(request, "billing/rl24/payer.html", context)


@login_required
def payer_rl24(request: SignedInRequest) -> HttpResponse:
    """« Relevé 24 »: slips issued, amounts to be reported, the NAS when needed."""
    require_feature(Feature.TAX_SLIPS)
    payer = held_dossier(request.user)
    if request.method == "POST":
        if payer is None:
            raise Http404
        form = SinForm(request.POST, prefix="nas")
        if form.is_valid():
            rl24.record_sin(payer, form.cleaned_data["sin"], actor=request.user, request=request)
            messages.success(request, _("Your social insurance number has been recorded."))
            return redirect("billing:rl24")
        return _payer_page(request, payer, sin_form=form)
    return _payer_page(request, payer)


@login_required
@require_POST
def payer_rl24_split(request: SignedInRequest, year: int, child: int) -> HttpResponse:
    """Share what the payer paid for a child with the child's other guardian."""
    require_feature(Feature.TAX_SLIPS)
    payer = held_dossier(request.user)
    if payer is None or year not in shown_years():
        raise Http404
    child_dossier, right = dossier_for(request.user, child, act=WRITE_BILLING)
    if right != Right.GUARDIAN:
        raise Http404
    form = _split_form(payer, child_dossier, year, data=request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        other = rl24.guardian_payers(child_dossier).get(pk=form.cleaned_data["other_payer"])
        try:
            rl24.set_split(
                child=child_dossier,
                year=year,
                payer=payer,
                other_payer=other,
                percent=form.cleaned_data["percent"],
                actor=request.user,
                request=request,
            )
        except rl24.SplitRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The sharing has been recorded."))
            return redirect("billing:rl24")
    return _payer_page(request, payer, bound_split=(year, child_dossier.pk, form))


def _slip_pdf(slip: TaxSlipRL24) -> HttpResponse:
    content = render_pdf(
        "billing/pdf/rl24.html",
        {"slip": slip, "boxes": slip.data, "sin_masked": sin.masked(slip.payer_sin_last3)},
        language=rl24_batch.payer_language(slip.payer),
    )
    return pdf_response(content, f"releve-24-{slip.number}.pdf")


@login_required
@require_GET
def payer_rl24_slip(request: SignedInRequest, pk: int) -> HttpResponse:
    require_feature(Feature.TAX_SLIPS)
    slip = get_object_or_404(
        TaxSlipRL24.objects.visible_to(request.user).select_related("payer", "child"), pk=pk
    )
    return _slip_pdf(slip)


# --- Staff: the batch --------------------------------------------------------------------


@role_required(Role.ACCOUNTING)
def staff_rl24(request: SignedInRequest) -> HttpResponse:
    require_feature(Feature.TAX_SLIPS)
    form = BatchYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = rl24_batch.start_batch(form.cleaned_data["year"], actor=request.user)
        return redirect("billing:rl24_staff_batch", pk=batch.pk)
    batches = TaxSlipBatch.objects.select_related("created_by")[:RECENT_BATCHES]
    return render(request, "billing/rl24/staff.html", {"form": form, "batches": batches})


def _percent(batch: TaxSlipBatch) -> int:
    if batch.total:
        return min(100, batch.done * 100 // batch.total)
    return 100 if batch.status == BatchStatus.DONE else 0


@role_required(Role.ACCOUNTING)
@require_GET
def staff_rl24_batch(request: SignedInRequest, pk: int) -> HttpResponse:
    require_feature(Feature.TAX_SLIPS)
    batch = get_object_or_404(TaxSlipBatch.objects.select_related("created_by"), pk=pk)
    running = batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING)
    slips = (
        []
        if running
        else TaxSlipRL24.objects.filter(year=batch.year)
        .select_related("payer", "child")
        .order_by("payer__last_name", "payer__first_name", "child__first_name", "issued_at")
    )
    context = {
        "batch": batch,
        "running": running,
        "percent": _percent(batch),
        "slips": slips,
        "report": batch.report or {},
    }
    return render(request, "billing/rl24/staff_batch.html", context)


@role_required(Role.ACCOUNTING)
@require_GET
def staff_rl24_progress(request: SignedInRequest, pk: int) -> JsonResponse:
    require_feature(Feature.TAX_SLIPS)
    batch = get_object_or_404(TaxSlipBatch, pk=pk)
    # The keys of the dossier import's progress, so its polling script serves both pages.
    return JsonResponse(
        {
            "status": batch.status,
            "percent": _percent(batch),
            "processed_rows": batch.done,
            "total_rows": batch.total,
            "done": batch.status in (BatchStatus.DONE, BatchStatus.FAILED),
        }
    )


@role_required(Role.ACCOUNTING)
@require_GET
def staff_rl24_slip(request: SignedInRequest, pk: int) -> HttpResponse:
    require_feature(Feature.TAX_SLIPS)
    slip = get_object_or_404(TaxSlipRL24.objects.select_related("payer", "child"), pk=pk)
    return _slip_pdf(slip)

"""Staff: find an attestation, revoke it with a reason, re-issue it (each audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.credentials.forms import (
    ReissueForm,
    RevokeForm,
    StaffSearchForm,
    normalized_code,
)
from guichet.credentials.models import Attestation
from guichet.credentials.services import attestations as services

PAGE_SIZE = 50


@role_required(Role.REGISTRAR)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = StaffSearchForm(request.GET or None)
    found = Attestation.objects.select_related("dossier").order_by("-issued_at", "-id")
    query = ""
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        query = f"q={q}"
        code = normalized_code(q)
        found = found.filter(
            Q(code=code)
            | Q(dossier__number=q)
            | Q(holder_name__icontains=q)
            | Q(subject__icontains=q)
        )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "credentials/staff/index.html",
        {"form": form, "page": page, "query": query, "oldest_first": True},
    )


@role_required(Role.REGISTRAR)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    attestation = get_object_or_404(
        Attestation.objects.select_related("dossier", "replaces", "revoked_by", "issued_by"),
        pk=pk,
    )
    return render_detail(request, attestation)


def render_detail(
    request: HttpRequest,
    attestation: Attestation,
    *,
    revoke_form: RevokeForm | None = None,
    reissue_form: ReissueForm | None = None,
) -> HttpResponse:
    replaced_by = Attestation.objects.filter(replaces=attestation).first()
    return render(
        request,
        "credentials/staff/detail.html",
        {
            "attestation": attestation,
            "replaced_by": replaced_by,
            "revoke_form": revoke_form or RevokeForm(),
            "reissue_form": reissue_form or ReissueForm(),
        },
    )


@role_required(Role.REGISTRAR)
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    attestation = get_object_or_404(Attestation.objects.valid(), pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return render_detail(request, attestation, revoke_form=form)
    services.revoke(
        attestation, reason=form.cleaned_data["reason"], actor=request.user, request=request
    )
    messages.success(request, _("The attestation is revoked."))
    return redirect("credentials:staff_detail", pk=attestation.pk)


@role_required(Role.REGISTRAR)
@require_POST
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    attestation = get_object_or_404(Attestation.objects.filter(replaced_by__isnull=True), pk=pk)
    form = ReissueForm(request.POST)
    if not form.is_valid():
        return render_detail(request, attestation, reissue_form=form)
    new = services.reissue(
        attestation, reason=form.cleaned_data["reason"], actor=request.user, request=request
    )
    messages.success(request, _("A new attestation was issued, with a new code."))
    return redirect("credentials:staff_detail", pk=new.pk)

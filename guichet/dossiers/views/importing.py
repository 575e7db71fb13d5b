"""Staff pages to import dossiers: upload, dry-run report, real run with progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.types import SignedInRequest
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.dossiers.forms.importing import ImportUploadForm
from guichet.dossiers.models import DossierImport, ImportStatus
from guichet.dossiers.services import importing

RECENT = 20


@role_required(Role.ADMINISTRATION)
def staff_import(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
    else:
        form = ImportUploadForm()
    if form.is_bound and form.is_valid():
        dossier_import = importing.start_import(form.cleaned_data["file"], actor=request.user)
        return redirect("dossiers:staff_import_detail", pk=dossier_import.pk)
    recent = DossierImport.objects.select_related("started_by")[:RECENT]
    return render(request, "dossiers/staff/import.html", {"form": form, "imports": recent})


@role_required(Role.ADMINISTRATION)
@require_GET
def staff_import_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    dossier_import = get_object_or_404(DossierImport.objects.select_related("started_by"), pk=pk)
    context = {
        "import": dossier_import,
        "running": dossier_import.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
        "can_launch": importing.can_launch(dossier_import),
        "bad_rows": importing.bad_row_count(dossier_import),
    }
    return render(request, "dossiers/staff/import_detail.html", context)


@role_required(Role.ADMINISTRATION)
@require_GET
def staff_import_progress(request: SignedInRequest, pk: int) -> JsonResponse:
    dossier_import = get_object_or_404(DossierImport, pk=pk)
    return JsonResponse(
        {
            "status": dossier_import.status,
            "percent": dossier_import.percent,
            "processed_rows": dossier_import.processed_rows,
            "total_rows": dossier_import.total_rows,
            "done": dossier_import.status in (ImportStatus.DONE, ImportStatus.FAILED),
        }
    )


@role_required(Role.ADMINISTRATION)
@require_POST
def staff_import_launch(request: SignedInRequest, pk: int) -> HttpResponse:
    dry_run = get_object_or_404(DossierImport, pk=pk, dry_run=True)
    try:
        dossier_import = importing.launch_import(dry_run, actor=request.user)
    except importing.CannotLaunch:
        messages.error(request, _("This file cannot be imported any more: send it again."))
        return redirect("dossiers:staff_import_detail", pk=dry_run.pk)
    return redirect("dossiers:staff_import_detail", pk=dossier_import.pk)

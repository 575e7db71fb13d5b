"""« Titre OMA et attestations »: the progress toward the title and the attestations
obtained, each with « Voir » (its signed PDF). The person's own dossier only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from guichet import presets
from guichet.core.pdf import pdf_response
from guichet.core.shell import page_context, require_section
from guichet.credentials import documents, membership, progress
from guichet.credentials.models import Attestation
from guichet.credentials.services.programs import current_program
from guichet.dossiers import permissions
from guichet.presets import Feature


@login_required
@require_GET
def titles(request: HttpRequest) -> HttpResponse:
    require_section("titles")
    dossier = permissions.held_dossier(request.user)
    if dossier is None:
        return render(request, "dossiers/profile/no_held_dossier.html", page_context("titles"))
    today = timezone.localdate()
    program = current_program()
    standing = progress.progress(program, dossier, today) if program else None
    attestations = list(
        Attestation.objects.of_dossier(dossier)
        .select_related("replaces")
        .order_by("status", "-attested_on", "-issued_at")
    )
    directory = presets.active().has(Feature.DIRECTORY) and membership.is_member(dossier, today)
    context = page_context(
        "titles",
        dossier=dossier,
        progress=standing,
        attestations=attestations,
        directory=directory,
    )
    return render(request, "credentials/section.html", context)


@login_required
@require_GET
def attestation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """« Voir »: the signed PDF of one of the person's own valid attestations (else 404)."""
    require_section("titles")
    dossier = permissions.held_dossier(request.user)
    found = get_object_or_404(
        Attestation.objects.of_dossier(dossier).valid().select_related("dossier"), pk=pk
    )
    response = pdf_response(documents.attestation_pdf(found), f"attestation-{found.code}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response

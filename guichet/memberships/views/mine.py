"""« Devenir membre » in « Mon dossier » (status, type of member, end date, renewal), the
person's applications (« Mes demandes d'adhésion », linked from « Mes demandes »), and the
documents of an application, served only to its applicant and to staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet import presets
from guichet.core.roles import Role
from guichet.core.shell import page_context, require_section
from guichet.core.staff import has_role
from guichet.dossiers import permissions
from guichet.memberships.forms import MoreDocumentsForm
from guichet.memberships.models import Application, ApplicationDocument, ApplicationStatus
from guichet.memberships.services import applications, lifecycle, queries
from guichet.presets import Feature


def _require_memberships() -> None:
    if not presets.active().has(Feature.MEMBERSHIPS):
        raise Http404


def standing(request: HttpRequest) -> HttpResponse:
    """« Votre statut », « Type de membre », and what comes next. A visitor sees how to
    become a member (with a file: sign in; without: « Formulaire d'adhésion »)."""
    _require_memberships()
    if not request.user.is_authenticated:
        return render(
            request,
            "memberships/public.html",
            {"member_types": queries.offered_types()},
        )
    require_section("membership")
    dossier = permissions.held_dossier(request.user)
    state = queries.standing(dossier)
    pending_invoice = lifecycle.unpaid_invoice(state.pending) if state.pending else None
    # The members directory, for members, where the operator has one (CAOMSC has no
    # « Titre et attestations » section to link it from).
    directory = (
        presets.active().has(Feature.DIRECTORY)
        and dossier is not None
        and dossier.is_member_on(state.day)
    )
    context = page_context(
        "membership",
        dossier=dossier,
        standing=state,
        pending_invoice=pending_invoice,
        member_types=queries.offered_types(),
        directory_url=reverse("credentials:directory") if directory else "",
    )
    return render(request, "memberships/standing.html", context)


@login_required
@require_POST
def renew(request: HttpRequest) -> HttpResponse:
    """« Renouveler » in one click: the next period's invoice, to pay right away."""
    _require_memberships()
    dossier = permissions.held_dossier(request.user)
    state = queries.standing(dossier)
    if state.membership is None or not state.renewable:
        messages.info(request, _("There is nothing to renew for now."))
        return redirect("memberships:standing")
    try:
        invoice = lifecycle.renew(state.membership, actor=request.user)
    except lifecycle.NotRenewable:
        messages.info(request, _("There is nothing to renew for now."))
        return redirect("memberships:standing")
    if invoice is None:
        messages.success(request, _("Your membership is renewed."))
        return redirect("memberships:standing")
    messages.success(request, _("Your renewal invoice is ready. Pay it to renew your membership."))
    return redirect("billing:invoice", pk=invoice.pk)


@login_required
def applications_mine(request: HttpRequest) -> HttpResponse:
    _require_memberships()
    rows = Application.objects.visible_to(request.user).select_related("member_type", "dossier")
    return render(request, "memberships/applications.html", {"applications": rows})


@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """One application, as its applicant follows it; documents added when staff ask."""
    _require_memberships()
    found = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("member_type", "dossier"),
        pk=pk,
    )
    form = None
    if found.status == ApplicationStatus.MORE_REQUESTED:
        form = MoreDocumentsForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                applications.add_documents(
                    found, list(form.stashed.values()), actor=request.user, request=request
                )
            except applications.NotOpen:
                raise Http404 from None
            messages.success(
                request,
                _("Your documents were added. Our staff will review your application again."),
            )
            return redirect("memberships:application", pk=found.pk)
    elif request.method == "POST":
        return redirect("memberships:application", pk=found.pk)
    context = {"application": found, "documents": found.documents.all(), "form": form}
    return render(request, "memberships/application.html", context)


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A document of an application: its applicant's and staff's only; 404 for anyone else,
    so an id reveals nothing."""
    _require_memberships()
    rows = ApplicationDocument.objects.select_related("application")
    if not has_role(request.user, Role.REGISTRAR):
        rows = rows.filter(application__in=Application.objects.visible_to(request.user))
    found = get_object_or_404(rows, pk=pk)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=found.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

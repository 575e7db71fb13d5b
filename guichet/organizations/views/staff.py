"""Staff: the review queue of the service catalog's forms that need it (« Nommer un autre
responsable », a contact's « Informations personnelles »): take, apply, refuse with a
reason. Administration and Inscriptions only; 404 for anyone else and without the
preset's organizations."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.core.features import require_feature
from guichet.core.staff import role_required
from guichet.organizations import service_catalog
from guichet.organizations.models import Submission
from guichet.organizations.services import review
from guichet.organizations.services.common import Refused
from guichet.presets import Feature

PAGE_SIZE = 50


def _titles() -> dict[str, str]:
    return {f.code: str(f.title) for f in service_catalog.forms_in()}


@role_required(*review.REVIEWERS)
def queue(request: HttpRequest) -> HttpResponse:
    require_feature(Feature.ORGANIZATIONS)
    rows = (
        Submission.objects.to_review()
        .exclude(payload={})
        .select_related("organization", "submitted_by", "reviewer")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organizations/staff/queue.html", {"page": page, "titles": _titles()})


@role_required(*review.REVIEWERS)
def detail(request: HttpRequest, pk: int, reason_error: str = "") -> HttpResponse:
    require_feature(Feature.ORGANIZATIONS)
    found = get_object_or_404(
        Submission.objects.exclude(payload={}).select_related(
            "organization", "submitted_by", "reviewer"
        ),
        pk=pk,
    )
    context = {
        "submission": found,
        "title": _titles().get(found.form, found.form),
        "reason_error": reason_error,
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "organizations/staff/detail.html", context)


@require_POST
@role_required(*review.REVIEWERS)
def decide(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    require_feature(Feature.ORGANIZATIONS)
    try:
        if step == "prendre":
            review.take(pk, actor=request.user, request=request)
            messages.success(request, _("You are now processing this request."))
        elif step == "appliquer":
            review.apply(pk, actor=request.user, request=request)
            messages.success(request, _("The request was applied; its author was told."))
        elif step == "refuser":
            review.refuse(
                pk, actor=request.user, reason=request.POST.get("reason", ""), request=request
            )
            messages.success(request, _("The request was refused; its author was told why."))
        else:
            raise Http404
    except Refused as refusal:
        return detail(request, pk, reason_error=refusal.reason)
    return redirect("organizations:staff_queue")

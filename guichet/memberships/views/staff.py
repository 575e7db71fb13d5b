"""The staff review queue: applications waiting for a decision, oldest first; approve,
refuse with a reason, or ask for more documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.memberships.forms import DecisionForm
from guichet.memberships.models import Application, ApplicationStatus
from guichet.memberships.services import applications
from guichet.memberships.views.mine import _require_memberships

QUEUE_SIZE = 50


@role_required(Role.REGISTRAR)
def queue(request: HttpRequest) -> HttpResponse:
    _require_memberships()
    waiting = (
        Application.objects.filter(status=ApplicationStatus.SUBMITTED)
        .select_related("member_type", "dossier")
        .order_by("queued_at", "pk")
    )
    asked = Application.objects.filter(status=ApplicationStatus.MORE_REQUESTED).count()
    page = Paginator(waiting, QUEUE_SIZE).get_page(request.GET.get("page"))
    return render(request, "memberships/staff/queue.html", {"page": page, "asked": asked})


@role_required(Role.REGISTRAR)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_memberships()
    found = get_object_or_404(
        Application.objects.select_related("member_type", "dossier", "applicant"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and found.is_open and form.is_valid():
        decision = request.POST.get("decision")
        message = form.cleaned_data["message"]
        try:
            if decision == "approve":
                applications.approve(found, actor=request.user, request=request)
                messages.success(request, _("Application approved; the fee invoice was sent."))
                return redirect("memberships:queue")
            if decision in ("refuse", "more") and not message.strip():
                form.add_error("message", _("Write the reason, or what is missing, to the person."))
            elif decision == "refuse":
                applications.refuse(found, message, actor=request.user, request=request)
                messages.success(request, _("Application refused; the person was told why."))
                return redirect("memberships:queue")
            elif decision == "more":
                applications.ask_for_more(found, message, actor=request.user, request=request)
                messages.success(request, _("The person was asked for more documents."))
                return redirect("memberships:queue")
        except applications.NotOpen:
            messages.info(request, _("This application was decided meanwhile."))
            return redirect("memberships:review", pk=found.pk)
    context = {"application": found, "documents": found.documents.all(), "form": form}
    return render(request, "memberships/staff/review.html", context)

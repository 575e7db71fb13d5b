"""« Mes demandes » for people, and the queue where staff decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.dossiers import permissions
from guichet.dossiers.models import GuardianRequest, GuardianRequestStatus, LinkRole
from guichet.dossiers.permissions import dossier_for
from guichet.dossiers.services import guardians, linking
from guichet.requests import services
from guichet.requests.display import possible_duplicates, submitted_rows
from guichet.requests.forms import (
    DecisionForm,
    DossierChangeForm,
    DossierNumberRequestForm,
    EmailOnFileForm,
    GuardianReportForm,
    dossier_values,
)
from guichet.requests.models import Request, RequestKind, RequestStatus

QUEUE_SIZE = 50  # a page of the staff queue


@login_required
@require_http_methods(["GET", "POST"])
def dossier_number(request: SignedInRequest) -> HttpResponse:
    """« Je n'ai pas de numéro de dossier »: the request form."""
    if request.method == "POST":
        form = DossierNumberRequestForm(request.POST)
        if form.is_valid():
            submitted = services.submit_dossier_number_request(
                form.as_data(), actor=request.user, request=request
            )
            if getattr(submitted, "duplicate", False):
                messages.info(request, _("You already have a request waiting for our staff."))
            else:
                messages.success(
                    request,
                    _("Your request was sent. You will receive your file number by email."),
                )
            return redirect("requests:detail", pk=submitted.pk)
    else:
        user = request.user
        form = DossierNumberRequestForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
            }
        )
    return render(request, "requests/dossier_number.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change(request: SignedInRequest, dossier_pk: int) -> HttpResponse:
    """Ask staff to correct a dossier's names or birth date (locked fields)."""
    dossier, right = dossier_for(request.user, dossier_pk, act=permissions.WRITE)
    form = DossierChangeForm(request.POST or None, dossier=dossier)
    if request.method == "POST" and form.is_valid():
        submitted = services.submit_change_request(
            dossier,
            before=dossier_values(dossier, as_text=True),
            after=form.after(),
            reason=form.cleaned_data["reason"].strip(),
            right=right,
            actor=request.user,
            request=request,
        )
        if getattr(submitted, "duplicate", False):
            messages.info(request, _("This change is already waiting for our staff."))
        else:
            messages.success(request, _("Your change request was sent to our staff."))
        return redirect("requests:detail", pk=submitted.pk)
    return render(request, "requests/change.html", {"form": form, "dossier": dossier})


@login_required
@require_http_methods(["GET", "POST"])
def report_guardian(request: SignedInRequest, link_pk: int) -> HttpResponse:
    """A guardian reports another guardian's addition to a child (the link is emailed to
    every guardian when one is added). Only another guardian of that child: 404 otherwise."""
    link = guardians.reportable_link(request.user, link_pk)
    form = GuardianReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submitted = services.submit_guardian_report(
            link, reason=form.cleaned_data["reason"], actor=request.user, request=request
        )
        if getattr(submitted, "duplicate", False):
            messages.info(request, _("This report is already waiting for our staff."))
        else:
            messages.success(request, _("Your report was sent to our staff."))
        return redirect("requests:detail", pk=submitted.pk)
    return render(request, "requests/report_guardian.html", {"form": form, "link": link})


@login_required
@require_http_methods(["GET", "POST"])
def email_on_file(request: SignedInRequest) -> HttpResponse:
    """« Je n'ai plus accès au courriel de mon dossier »: the way out of a confirmation
    code sent to an address that no longer works."""
    pending = linking.pending_confirmation(request.user)
    if pending is None or pending.role != LinkRole.HOLDER:
        messages.info(request, _("No confirmation is waiting. Start again."))
        return redirect("dossiers:activate")
    form = EmailOnFileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submitted = services.submit_email_on_file_request(
            pending,
            phone=form.cleaned_data["phone"],
            message=form.cleaned_data["message"].strip(),
            actor=request.user,
            request=request,
        )
        if getattr(submitted, "duplicate", False):
            messages.info(request, _("You already have a request waiting for our staff."))
        else:
            messages.success(request, _("Your request was sent to our staff."))
        return redirect("requests:detail", pk=submitted.pk)
    context = {"form": form, "sent_to": linking.mask_email(pending.sent_to)}
    return render(request, "requests/email_on_file.html", context)


@login_required
def mine(request: SignedInRequest) -> HttpResponse:
    """« Mes demandes »: the person's own requests, most recent first, and their requests
    to become a child's guardian (by file number only: nothing of the child until then)."""
    requests_ = Request.objects.visible_to(request.user).select_related("dossier")
    guardian_requests = (
        GuardianRequest.objects.sent_by(request.user)
        .select_related("dossier")
        .order_by("-created_at")
    )
    return render(
        request,
        "requests/mine.html",
        {"service_requests": requests_, "guardian_requests": guardian_requests},
    )


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    service_request = get_object_or_404(
        Request.objects.visible_to(request.user).select_related("dossier"), pk=pk
    )
    context = {"service_request": service_request, **submitted_rows(service_request)}
    return render(request, "requests/detail.html", context)


@role_required(Role.REGISTRAR)
def queue(request: SignedInRequest) -> HttpResponse:
    """Pending requests, oldest first: the first in is the first served."""
    pending = (
        Request.objects.pending()
        .select_related("submitted_by", "dossier")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(pending, QUEUE_SIZE).get_page(request.GET.get("page"))
    guardian_requests = (
        GuardianRequest.objects.pending()
        .select_related("account", "dossier")
        .order_by("created_at", "pk")
    )
    context = {
        "pending": page.object_list,
        "page": page,
        "pending_count": page.paginator.count + len(guardian_requests),
        "guardian_requests": guardian_requests,
    }
    return render(request, "requests/queue.html", context)


@role_required(Role.REGISTRAR)
@require_http_methods(["GET", "POST"])
def guardian_review(request: SignedInRequest, pk: int) -> HttpResponse:
    """A request to become a child's guardian: who asks, the child, its guardians."""
    asked = get_object_or_404(
        GuardianRequest.objects.select_related("account", "dossier", "objected_by", "decided_by"),
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    pending = asked.status == GuardianRequestStatus.PENDING
    if request.method == "POST" and pending and form.is_valid():
        try:
            if form.cleaned_data["decision"] == DecisionForm.REFUSE:
                guardians.refuse_as_staff(
                    pk, reason=form.cleaned_data["reason"], actor=request.user, request=request
                )
                messages.success(request, _("The request was refused; the person was told why."))
            else:
                guardians.approve_as_staff(pk, actor=request.user, request=request)
                messages.success(
                    request, _("The person is now a guardian of the child; everyone was told.")
                )
        except guardians.RequestClosed:
            messages.error(request, _("This request was already decided by someone else."))
            return redirect("requests:guardian_review", pk=pk)
        return redirect("requests:queue")
    context = {
        "guardian_request": asked,
        "form": form,
        "pending": pending,
        "asker_dossier": permissions.held_dossier(asked.account),
        "guardians": linking.guardian_links(asked.dossier),
    }
    return render(request, "requests/guardian_review.html", context)


@role_required(Role.REGISTRAR)
@require_http_methods(["GET", "POST"])
def review(request: SignedInRequest, pk: int) -> HttpResponse:
    service_request = get_object_or_404(
        Request.objects.select_related("submitted_by", "dossier", "decided_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    pending = service_request.status == RequestStatus.PENDING
    if request.method == "POST" and pending and form.is_valid():
        try:
            _apply_decision(request, service_request, form)
        except services.RequestAlreadyDecided:
            messages.error(request, _("This request was already decided by someone else."))
            return redirect("requests:review", pk=pk)
        except services.RequesterNoLongerAllowed:
            messages.error(
                request,
                _(
                    "The person who asked no longer has a right over this file: refuse the "
                    "request with a reason."
                ),
            )
            return redirect("requests:review", pk=pk)
        return redirect("requests:queue")
    context = {
        "service_request": service_request,
        "form": form,
        "pending": pending,
        "duplicates": possible_duplicates(service_request) if pending else [],
        **submitted_rows(service_request),
    }
    return render(request, "requests/review.html", context)


def _apply_decision(request: SignedInRequest, service_request: Request, form: DecisionForm) -> None:
    if form.cleaned_data["decision"] == DecisionForm.REFUSE:
        services.refuse_request(
            service_request.pk,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("The request was refused; the person was told why."))
    elif service_request.kind == RequestKind.GUARDIAN_REPORT:
        services.approve_guardian_report(service_request.pk, actor=request.user, request=request)
        messages.success(
            request, _("The guardian's link was ended; the people concerned were told.")
        )
    elif service_request.kind == RequestKind.DOSSIER_NUMBER:
        approved = services.approve_dossier_number_request(
            service_request.pk, actor=request.user, request=request
        )
        messages.success(
            request,
            _("File %(number)s was opened and its number sent to the person.")
            % {"number": approved.dossier.number},
        )
    elif service_request.kind == RequestKind.EMAIL_ON_FILE:
        services.approve_email_on_file_request(
            service_request.pk, actor=request.user, request=request
        )
        messages.success(request, _("The file is linked to the account; the person was told."))
    else:
        services.approve_change_request(service_request.pk, actor=request.user, request=request)
        messages.success(request, _("The change was applied to the file."))

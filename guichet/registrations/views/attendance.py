"""Staff attendance marking for trainings: one checkbox « Présent » per participant."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.catalog.models import Offering, OfferingKind
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.registrations.services.attendance import (
    AttendanceTooEarly,
    mark_attendance,
    too_early,
)

# Trainings that ended longer ago than this drop off the index (still reachable by URL).
RECENT_DAYS = 90


@role_required(Role.REGISTRAR)
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    """Trainings whose attendance staff may mark: recent and upcoming."""
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    trainings = Offering.objects.filter(kind=OfferingKind.TRAINING, ends_on__gte=since).order_by(
        "starts_on", "title"
    )
    return render(request, "registrations/attendance/index.html", {"trainings": trainings})


@role_required(Role.REGISTRAR)
@require_http_methods(["GET", "POST"])
def mark(request: SignedInRequest, pk: int) -> HttpResponse:
    offering = get_object_or_404(Offering.objects.filter(kind=OfferingKind.TRAINING), pk=pk)
    if request.method == "POST":
        present = [int(value) for value in request.POST.getlist("present") if value.isdigit()]
        try:
            changed = mark_attendance(offering, present, actor=request.user, request=request)
        except AttendanceTooEarly as refusal:
            messages.error(request, str(refusal))
            return redirect("registrations:attendance", pk=offering.pk)
        messages.success(
            request,
            ngettext(
                "Attendance saved (%(count)s change).",
                "Attendance saved (%(count)s changes).",
                changed,
            )
            % {"count": changed},
        )
        return redirect("registrations:attendance", pk=offering.pk)
    registrations = (
        Registration.objects.filter(offering=offering, status=RegistrationStatus.CONFIRMED)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    return render(
        request,
        "registrations/attendance/mark.html",
        {"offering": offering, "registrations": registrations, "too_early": too_early(offering)},
    )

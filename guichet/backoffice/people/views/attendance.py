"""Attendance at the pool side: a phone, a slow connection, one tap per participant.

Plain forms: each participant is one large button that posts and comes back to the same
place in the list (``#p-<id>``); a small script of our own, when it runs, sends the same
form in the background and updates the button without reloading the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from guichet.accounts.types import SignedInRequest
from guichet.backoffice.people.services import attendance, rosters
from guichet.core.roles import Role
from guichet.core.staff import role_required
from guichet.registrations.services.attendance import AttendanceTooEarly, too_early


@role_required(Role.REGISTRAR, Role.ANIMATION)
@require_http_methods(["GET", "POST"])
def take(request: SignedInRequest, pk: int) -> HttpResponse:
    offering = rosters.offering_for(request.user, pk)
    if not rosters.may_mark_attendance(request.user, offering):
        raise Http404
    if request.method == "POST":
        registration = request.POST.get("inscription", "")
        present = request.POST.get("present") == "1"
        background = request.headers.get("X-Requested-With") == "fetch"
        try:
            if registration.isdigit():
                attendance.mark_one(
                    offering, int(registration), present, actor=request.user, request=request
                )
        except AttendanceTooEarly as refusal:
            if background:
                return JsonResponse({"error": str(refusal)}, status=409)
            messages.error(request, str(refusal))
            return redirect("backoffice:attendance", pk=offering.pk)
        if background:
            return JsonResponse({"present": present})
        url = reverse("backoffice:attendance", args=[offering.pk])
        return redirect(f"{url}#p-{registration}" if registration.isdigit() else url)
    registrations = list(attendance.confirmed(offering))
    context = {
        "offering": offering,
        "registrations": registrations,
        "present": sum(1 for r in registrations if r.attended),
        "too_early": too_early(offering),
    }
    return render(request, "backoffice/people/attendance.html", context)

"""Rosters: the list of offerings a role may open, each offering's roster (and, for the
roles that read them, its answers to questions), its exports and its leaders."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.types import SignedInRequest
from guichet.backoffice.people.services import exports, leaders, rosters
from guichet.backoffice.people.services import messages as participant_messages
from guichet.catalog.models import Offering, OfferingKind
from guichet.core.pdf import pdf_response, render_pdf
from guichet.core.roles import Role
from guichet.core.staff import has_role, role_required

# Offerings that ended longer ago than this drop off the list (still reachable by URL).
RECENT_DAYS = 60
FORMATS = ("csv", "xlsx", "pdf")


@role_required(*rosters.ROSTER_ROLES)
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    kind = request.GET.get("type", "")
    search = request.GET.get("q", "")[:100].strip()
    offerings = rosters.offerings_for(request.user).filter(ends_on__gte=since)
    if kind in OfferingKind.values:
        offerings = offerings.filter(kind=kind)
    if search:
        offerings = offerings.filter(title__icontains=search) | offerings.filter(
            code__iexact=search
        )
    offerings = offerings.order_by("starts_on", "title")[:200]
    context = {"offerings": offerings, "kinds": OfferingKind.choices, "kind": kind, "q": search}
    return render(request, "backoffice/people/rosters/index.html", context)


def _page(request: SignedInRequest, pk: int, *, with_answers: bool) -> HttpResponse:
    offering = rosters.offering_for(request.user, pk)
    may_read = rosters.may_read_answers(request.user, offering)
    if with_answers and not may_read:
        raise Http404
    roster = rosters.roster(offering)
    context = {
        "offering": offering,
        "roster": roster,
        "session": rosters.session_of(offering, request.GET.get("seance")),
        "sessions": offering.sessions.order_by("starts_at"),
        "with_answers": with_answers,
        "may_read_answers": may_read,
        "columns": exports.columns(roster, with_answers=with_answers),
        "may_lead": has_role(request.user, Role.REGISTRAR),
        "may_mark": rosters.may_mark_attendance(request.user, offering),
        "may_message": participant_messages.may_message(request.user, offering),
    }
    if context["may_lead"]:
        context["leaders"] = leaders.leaders_of(offering)
        context["candidates"] = leaders.candidates()
    return render(request, "backoffice/people/rosters/roster.html", context)


@role_required(*rosters.ROSTER_ROLES)
@require_GET
def roster(request: SignedInRequest, pk: int) -> HttpResponse:
    return _page(request, pk, with_answers=False)


@role_required(Role.REGISTRAR, Role.ANIMATION)
@require_GET
def roster_answers(request: SignedInRequest, pk: int) -> HttpResponse:
    """The roster with the answers to questions (health, allergies): each opening is
    recorded on every participant's file by the register of staff views."""
    return _page(request, pk, with_answers=True)


def _export(request: SignedInRequest, pk: int, *, with_answers: bool) -> HttpResponse:
    offering = rosters.offering_for(request.user, pk)
    if with_answers and not rosters.may_read_answers(request.user, offering):
        raise Http404
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    roster = rosters.roster(offering)
    picked = exports.chosen(
        exports.columns(roster, with_answers=with_answers), request.GET.getlist("colonnes")
    )
    if fmt == "csv":
        return exports.csv_response(roster, picked)
    if fmt == "xlsx":
        return exports.xlsx_response(roster, picked)
    session = rosters.session_of(offering, request.GET.get("seance"))
    content = render_pdf(
        "backoffice/people/rosters/pdf.html",
        {
            "roster": roster,
            "offering": offering,
            "session": session,
            "columns": picked,
            "participants": [[c.value(row) for c in picked] for row in roster.participants],
            "waiting": [[c.value(row) for c in picked] for row in roster.waiting],
            "printed_at": timezone.now(),
        },
    )
    return pdf_response(content, exports.filename(roster, "pdf"))


@role_required(*rosters.ROSTER_ROLES)
@require_GET
def export(request: SignedInRequest, pk: int) -> HttpResponse:
    return _export(request, pk, with_answers=False)


@role_required(Role.REGISTRAR, Role.ANIMATION)
@require_GET
def export_answers(request: SignedInRequest, pk: int) -> HttpResponse:
    return _export(request, pk, with_answers=True)


@role_required(Role.REGISTRAR)
@require_POST
def set_leaders(request: SignedInRequest, pk: int) -> HttpResponse:
    offering = get_object_or_404(Offering.objects.all(), pk=pk)
    added = request.POST.get("ajouter", "")
    removed = request.POST.get("retirer", "")
    if added.isdigit():
        account = leaders.candidates().filter(pk=int(added)).first()
        if account is None:
            messages.error(request, _("Choose an activity leader from the list."))
        elif leaders.add_leader(offering, account, actor=request.user, request=request):
            messages.success(request, _("Activity leader added."))
    elif removed.isdigit() and leaders.remove_leader(
        offering, int(removed), actor=request.user, request=request
    ):
        messages.success(request, _("Activity leader removed."))
    return redirect("backoffice:roster", pk=offering.pk)

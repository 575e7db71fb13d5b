"""The reading side of registrations: « Mes formations », « Mes évènements », the
household's registrations, the attendance confirmation PDF and the training documents.

Everything starts from ``Registration.objects.visible_to(account)`` (the person's own,
their household's and those they registered), so an outsider gets a 404, never a file.
What is owed is read from each registration's invoices (``billing.owed``), fetched with
the registrations, never from the price before taxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guichet.accounts.types import SignedInRequest
from guichet.billing.owed import PREFETCHED, Billed, billed, invoices_prefetch
from guichet.catalog.eligibility import local_date_and_time
from guichet.catalog.models import OfferingDocument, OfferingKind
from guichet.core.pdf import pdf_response, render_pdf
from guichet.core.shell import page_context, require_section
from guichet.dossiers import permissions
from guichet.registrations.models import (
    Registration,
    RegistrationOption,
    RegistrationStatus,
)

# Spots that expired before being confirmed are not registrations the person made.
SHOWN = ~Q(status=RegistrationStatus.EXPIRED)


def waiting_position() -> Coalesce:
    """Place in line: waiting registrations to the same offering that arrived earlier, + 1.

    A correlated subquery keeps the listing to one query however many lines it shows.
    """
    earlier = (
        Registration.objects.filter(
            offering=OuterRef("offering"), status=RegistrationStatus.WAITING
        )
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("offering")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(earlier, output_field=IntegerField()), 0)


def registrations_for(account: Any, kind: str | None = None) -> QuerySet[Registration]:
    """What the account may see, with everything the listing reads fetched up front."""
    queryset = Registration.objects.visible_to(account).filter(SHOWN)
    if kind is not None:
        queryset = queryset.filter(offering__kind=kind)
    return (
        queryset.select_related("offering", "participant", "registered_by")
        .prefetch_related(
            Prefetch(
                "option_lines",
                queryset=RegistrationOption.objects.select_related("option").order_by("pk"),
            ),
            "offering__documents",
            invoices_prefetch(account),
        )
        .annotate(earlier_waiting=waiting_position())
        .order_by("offering__starts_on", "offering__title", "participant__first_name", "pk")
    )


def available_documents(account: Any) -> QuerySet[OfferingDocument]:
    """Training documents for confirmed registrations the account may see; some only
    once attendance has been marked."""
    confirmed = Registration.objects.visible_to(account).filter(status=RegistrationStatus.CONFIRMED)
    return OfferingDocument.objects.filter(
        Q(after_attendance=False, offering__in=confirmed.values("offering"))
        | Q(after_attendance=True, offering__in=confirmed.filter(attended=True).values("offering"))
    )


def status_text(registration: Registration) -> str:
    status = registration.status
    if status == RegistrationStatus.HELD:
        return _("Spot held, registration to complete")
    if status == RegistrationStatus.PENDING_PAYMENT:
        return _("Registered, pending payment")
    if status == RegistrationStatus.CONFIRMED:
        return _("Registration confirmed")
    if status == RegistrationStatus.WAITING:
        position = getattr(registration, "earlier_waiting", 0) + 1
        return _("On the waiting list (position %(position)s)") % {"position": position}
    if status == RegistrationStatus.OFFERED and registration.offer_expires_at:
        day, clock = local_date_and_time(registration.offer_expires_at)
        return _("A spot is offered: answer before %(date)s at %(time)s") % {
            "date": day,
            "time": clock,
        }
    if status == RegistrationStatus.CANCELLED:
        return _("Registration cancelled")
    return str(registration.get_status_display())


@dataclass
class ListedRegistration:
    """One registration as the listing shows it."""

    registration: Registration
    status: str
    for_someone_else: bool
    billed: Billed = field(default_factory=Billed)
    detail_url: str | None = None
    pay_url: str | None = None  # the invoice to pay, or the registration's page if several
    offer_url: str | None = None
    modify_url: str | None = None
    cancel_url: str | None = None
    attestation_url: str | None = None
    documents: list[OfferingDocument] = field(default_factory=list)


def line_for(
    registration: Registration, held_pk: int | None, now: Any, actor_pk: int | None = None
) -> ListedRegistration:
    offering = registration.offering
    line = ListedRegistration(
        registration=registration,
        status=status_text(registration),
        for_someone_else=registration.participant_id != held_pk,
        billed=billed(getattr(registration, PREFETCHED, [])),
    )
    line.detail_url = reverse("registrations:detail", args=[registration.pk])
    # Where guardians share, another guardian's registration of a child is read, not
    # changed (``changes.change_right``, without a query per line).
    theirs = (
        actor_pk is not None
        and registration.registered_by_id != actor_pk
        and registration.participant_id != held_pk
    )
    if registration.status == RegistrationStatus.PENDING_PAYMENT:
        # Only an invoice the person may open: someone else's is no link but a dead end.
        payable = line.billed.open
        if len(payable) == 1:
            line.pay_url = reverse("billing:invoice", args=[payable[0].pk])
        elif payable:
            line.pay_url = line.detail_url
    if registration.status == RegistrationStatus.OFFERED and not theirs:
        line.offer_url = reverse("registrations:offer", args=[registration.pk])
    if (
        registration.status in RegistrationStatus.LIVE
        and offering.can_change_online(now)
        and not theirs
    ):
        line.modify_url = reverse("registrations:modify", args=[registration.pk])
        line.cancel_url = reverse("registrations:cancel", args=[registration.pk])
    if registration.status == RegistrationStatus.CONFIRMED:
        attended = registration.attended is True
        line.documents = [
            document
            for document in offering.documents.all()
            if attended or not document.after_attendance
        ]
        if attended and offering.kind == OfferingKind.TRAINING:
            line.attestation_url = reverse("registrations:attendance_pdf", args=[registration.pk])
    return line


def listing(account: Any, kind: str | None) -> dict[str, Any]:
    """Upcoming registrations first (soonest first), then past ones (latest first)."""
    held = permissions.held_dossier(account)
    now = timezone.now()
    today = timezone.localdate()
    lines = [
        line_for(r, held.pk if held else None, now, account.pk)
        for r in registrations_for(account, kind)
    ]
    upcoming = [line for line in lines if line.registration.offering.ends_on >= today]
    past = [line for line in lines if line.registration.offering.ends_on < today]
    past.reverse()
    return {"dossier": held, "upcoming": upcoming, "past": past}


def section(request: HttpRequest, name: str, kind: str) -> HttpResponse:
    require_section(name)
    context = page_context(name, **listing(request.user, kind), kind=kind)
    return render(request, "registrations/mine/section.html", context)


@login_required
@require_GET
def trainings(request: SignedInRequest) -> HttpResponse:
    """« Mes formations », in the « Mon dossier » menu."""
    return section(request, "trainings", OfferingKind.TRAINING)


@login_required
@require_GET
def events(request: SignedInRequest) -> HttpResponse:
    """« Mes évènements », in the « Mon dossier » menu."""
    return section(request, "events", OfferingKind.EVENT)


@login_required
@require_GET
def mine(request: SignedInRequest) -> HttpResponse:
    """« Mes inscriptions », in the « Mon dossier » menu: every registration of the
    household and of the people the account registered."""
    require_section("registrations")
    context = page_context("registrations", **listing(request.user, None))
    return render(request, "registrations/mine/all.html", context)


@login_required
@require_GET
def attendance_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    """The attendance confirmation, once staff marked the participant present."""
    registration = get_object_or_404(
        Registration.objects.visible_to(request.user)
        .filter(attended=True, offering__kind=OfferingKind.TRAINING)
        .select_related("offering", "participant"),
        pk=pk,
    )
    offering = registration.offering
    content = render_pdf(
        "registrations/pdf/attendance.html",
        {
            "registration": registration,
            "offering": offering,
            "participant": registration.participant,
            "sessions": list(offering.sessions.all()),
            "issued_on": timezone.localdate(),
        },
        language=registration.participant.language,
    )
    response = pdf_response(content, f"attestation-presence-{registration.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document(request: SignedInRequest, pk: int) -> FileResponse:
    """A training's document, streamed only to people registered to that training."""
    found = get_object_or_404(available_documents(request.user), pk=pk)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, filename=Path(found.file.name).name)
    response["Cache-Control"] = "private, no-store"
    return response

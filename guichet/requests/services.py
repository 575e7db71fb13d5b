"""Requests to staff: submit, approve, refuse. One function per use case.

Each write is atomic, records who acted under which right, and sends its email through
``send_templated`` (delivered once the transaction commits).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.core.mail import send_templated
from guichet.core.roles import Role
from guichet.core.staff import has_role
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier, DossierLink, LinkingCode
from guichet.dossiers.services import guardians, identity, linking
from guichet.dossiers.services.identity import NewDossier
from guichet.requests.models import Request, RequestKind, RequestStatus


class RequestAlreadyDecided(Exception):
    """Someone else decided this request first."""


class RequesterNoLongerAllowed(Exception):
    """The requester lost their right over the dossier since submitting."""


@transaction.atomic
def submit_dossier_number_request(
    data: dict[str, str], *, actor: Actor, request: HttpRequest | None = None
) -> Request:
    """« Je n'ai pas de numéro de dossier »: the person asks staff to open a file.

    One at a time: while a request of the account waits for staff, sending the form again
    (a double click, an impatient second try) returns that request instead of a new one."""
    _one_at_a_time(actor)
    waiting = Request.objects.pending().filter(kind=RequestKind.DOSSIER_NUMBER, submitted_by=actor)
    if existing := waiting.first():
        existing.duplicate = True
        return existing
    submitted = Request.objects.create(
        kind=RequestKind.DOSSIER_NUMBER, submitted_by=actor, data=data
    )
    record(
        Action.REQUEST_SUBMITTED,
        actor=actor,
        subject=actor,
        right=Right.SELF,
        request=request,
        data={"request": submitted.pk, "kind": submitted.kind},
    )
    return submitted


@transaction.atomic
def submit_change_request(
    dossier: Dossier,
    *,
    before: dict[str, str],
    after: dict[str, str],
    reason: str,
    right: Right,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Request:
    """A change to a dossier's locked fields, for staff to review. The same change sent
    again while the first waits for staff returns the first."""
    _one_at_a_time(actor)
    same = Request.objects.pending().filter(
        kind=RequestKind.DOSSIER_CHANGE, submitted_by=actor, dossier=dossier, data__after=after
    )
    if existing := same.first():
        existing.duplicate = True
        return existing
    submitted = Request.objects.create(
        kind=RequestKind.DOSSIER_CHANGE,
        submitted_by=actor,
        dossier=dossier,
        data={"before": before, "after": after, "reason": reason},
    )
    record(
        Action.REQUEST_SUBMITTED,
        actor=actor,
        subject=actor,
        dossier=dossier,
        right=right,
        request=request,
        data={"request": submitted.pk, "kind": submitted.kind},
    )
    return submitted


@transaction.atomic
def submit_guardian_report(
    link: DossierLink, *, reason: str, actor: Actor, request: HttpRequest | None = None
) -> Request:
    """A guardian reports another guardian's addition (``guardians.reportable_link``);
    staff decide whether to end that link. The same report sent again returns the first."""
    _one_at_a_time(actor)
    same = Request.objects.pending().filter(
        kind=RequestKind.GUARDIAN_REPORT, submitted_by=actor, data__link=link.pk
    )
    if existing := same.first():
        existing.duplicate = True
        return existing
    submitted = Request.objects.create(
        kind=RequestKind.GUARDIAN_REPORT,
        submitted_by=actor,
        dossier=link.dossier,
        data={
            "link": link.pk,
            "guardian": link.account.get_full_name(),
            "guardian_email": link.account.email,
            "linked_on": link.created_at.isoformat(),
            "reason": reason.strip(),
        },
    )
    record(
        Action.REQUEST_SUBMITTED,
        actor=actor,
        subject=actor,
        dossier=link.dossier,
        right=Right.GUARDIAN,
        request=request,
        data={"request": submitted.pk, "kind": submitted.kind, "link": link.pk},
    )
    return submitted


@transaction.atomic
def submit_email_on_file_request(
    pending: LinkingCode,
    *,
    phone: str,
    message: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Request:
    """The confirmation code went to an address on file that no longer works: ask staff
    to check the person's identity and link the file to the account's address. Sent
    again while the first waits, it returns the first."""
    _one_at_a_time(actor)
    waiting = Request.objects.pending().filter(
        kind=RequestKind.EMAIL_ON_FILE, submitted_by=actor, dossier=pending.dossier
    )
    if existing := waiting.first():
        existing.duplicate = True
        return existing
    submitted = Request.objects.create(
        kind=RequestKind.EMAIL_ON_FILE,
        submitted_by=actor,
        dossier=pending.dossier,
        data={
            "new_email": actor.email,
            "old_email": linking.mask_email(pending.sent_to),
            "phone": phone,
            "message": message,
        },
    )
    record(
        Action.REQUEST_SUBMITTED,
        actor=actor,
        subject=actor,
        dossier=pending.dossier,
        right=Right.SELF,
        request=request,
        data={"request": submitted.pk, "kind": submitted.kind},
    )
    return submitted


@transaction.atomic
def approve_email_on_file_request(
    pk: int, *, actor: Actor, request: HttpRequest | None = None
) -> Request:
    """Staff checked the person's identity: link the file to the account, whose address
    becomes the one on file (``linking.link_checked_by_staff`` tells the person)."""
    locked = _lock_pending(pk, actor=actor)
    if locked.dossier is None:
        raise RequesterNoLongerAllowed
    outcome = linking.link_checked_by_staff(
        account=locked.submitted_by, dossier=locked.dossier, actor=actor, request=request
    )
    if outcome.status != linking.Status.LINKED:
        raise RequesterNoLongerAllowed
    _decide(locked, RequestStatus.APPROVED, actor=actor)
    record(
        Action.REQUEST_APPROVED,
        actor=actor,
        subject=locked.submitted_by,
        dossier=locked.dossier,
        right=Right.STAFF,
        request=request,
        data={"request": locked.pk, "kind": locked.kind},
    )
    return locked


def _one_at_a_time(actor: Actor) -> None:
    """One account's submissions run one after the other (a double click cannot slip two
    requests past the duplicate check)."""
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()


def _lock_pending(pk: int, *, actor: Actor) -> Request:
    """The request, locked until the decision commits, so two agents cannot both decide.
    Only staff decide, whoever calls the service."""
    if not has_role(actor, Role.REGISTRAR):
        raise PermissionDenied
    locked = (
        Request.objects.select_for_update(of=("self",)).select_related("submitted_by").get(pk=pk)
    )
    if locked.status != RequestStatus.PENDING:
        raise RequestAlreadyDecided
    return locked


def _decide(locked: Request, status: RequestStatus, *, actor: Actor, reason: str = "") -> None:
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason", "dossier"])


def _absolute(request: HttpRequest | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _new_dossier(data: dict[str, str], language: str) -> NewDossier:
    """The person as they described themselves in « Je n'ai pas de numéro de dossier »."""
    return NewDossier(
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        birth_date=date.fromisoformat(data["birth_date"]) if data.get("birth_date") else None,
        language=language,
        email=data.get("email", ""),
        home_street=data.get("street", ""),
        home_city=data.get("city", ""),
        home_postal_code=data.get("postal_code", ""),
        home_phone=data.get("phone", ""),
    )


@transaction.atomic
def approve_dossier_number_request(
    pk: int, *, actor: Actor, request: HttpRequest | None = None
) -> Request:
    """Open the dossier with the next number and email it to the person."""
    locked = _lock_pending(pk, actor=actor)
    requester = locked.submitted_by
    dossier = identity.open_dossier(
        _new_dossier(locked.data, requester.language),
        actor=actor,
        subject=requester,
        request=request,
        because={"request": locked.pk},
    )
    locked.dossier = dossier
    _decide(locked, RequestStatus.APPROVED, actor=actor)
    record(
        Action.REQUEST_APPROVED,
        actor=actor,
        subject=requester,
        dossier=dossier,
        right=Right.STAFF,
        request=request,
        data={"request": locked.pk, "kind": locked.kind, "number": dossier.number},
    )
    send_templated(
        "requests/email/number_assigned",
        to=requester.email,
        context={
            "account": requester,
            "dossier": dossier,
            "activate_url": _absolute(request, reverse("dossiers:activate")),
            "request_url": _absolute(request, reverse("requests:detail", args=[locked.pk])),
        },
        language=requester.language,
    )
    return locked


@transaction.atomic
def approve_change_request(pk: int, *, actor: Actor, request: HttpRequest | None = None) -> Request:
    """Apply the requested names or birth date to the dossier, before/after in the trail."""
    locked = _lock_pending(pk, actor=actor)
    if (
        locked.dossier is None
        or permissions.right_over(locked.submitted_by, locked.dossier, act=permissions.WRITE)
        is None
    ):
        raise RequesterNoLongerAllowed
    dossier = identity.correct_identity(
        locked.dossier,
        locked.data["after"],
        actor=actor,
        subject=locked.submitted_by,
        request=request,
        because={"request": locked.pk},
    )
    _decide(locked, RequestStatus.APPROVED, actor=actor)
    record(
        Action.REQUEST_APPROVED,
        actor=actor,
        subject=locked.submitted_by,
        dossier=dossier,
        right=Right.STAFF,
        request=request,
        data={"request": locked.pk, "kind": locked.kind},
    )
    requester = locked.submitted_by
    send_templated(
        "requests/email/change_approved",
        to=requester.email,
        context={
            "account": requester,
            "dossier": dossier,
            "request_url": _absolute(request, reverse("requests:detail", args=[locked.pk])),
        },
        language=requester.language,
    )
    return locked


@transaction.atomic
def approve_guardian_report(
    pk: int, *, actor: Actor, request: HttpRequest | None = None
) -> Request:
    """End the reported guardian's link (they are told) and tell the person who reported."""
    locked = _lock_pending(pk, actor=actor)
    guardians.end_guardian_link(locked.data["link"], actor=actor, request=request)
    _decide(locked, RequestStatus.APPROVED, actor=actor)
    reporter = locked.submitted_by
    record(
        Action.REQUEST_APPROVED,
        actor=actor,
        subject=reporter,
        dossier=locked.dossier,
        right=Right.STAFF,
        request=request,
        data={"request": locked.pk, "kind": locked.kind, "link": locked.data["link"]},
    )
    send_templated(
        "requests/email/report_approved",
        to=reporter.email,
        context={
            "account": reporter,
            "service_request": locked,
            "request_url": _absolute(request, reverse("requests:detail", args=[locked.pk])),
        },
        language=reporter.language,
    )
    return locked


@transaction.atomic
def refuse_request(
    pk: int, *, reason: str, actor: Actor, request: HttpRequest | None = None
) -> Request:
    """Refuse with a reason, which the person receives by email."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A refusal needs a reason.")
    locked = _lock_pending(pk, actor=actor)
    _decide(locked, RequestStatus.REFUSED, actor=actor, reason=reason)
    requester = locked.submitted_by
    record(
        Action.REQUEST_REFUSED,
        actor=actor,
        subject=requester,
        dossier=locked.dossier,
        right=Right.STAFF,
        request=request,
        data={"request": locked.pk, "kind": locked.kind, "reason": reason},
    )
    send_templated(
        "requests/email/refused",
        to=requester.email,
        context={
            "account": requester,
            "service_request": locked,
            "reason": reason,
            "request_url": _absolute(request, reverse("requests:detail", args=[locked.pk])),
        },
        language=requester.language,
    )
    return locked

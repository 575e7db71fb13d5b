"""Deciding who else becomes a child's guardian, and ending a guardian's link.

A request (``GuardianRequest``) is made by ``linking`` when an account proves it knows a
child's number and birth date and the child already has a guardian. Then:

- an existing guardian **accepts** (the link is made) or **refuses** (the request then
  waits for staff alone, who check the person's rights: separated parents may disagree);
- **staff** approve or refuse (with a reason, emailed) from the request queue, whatever a
  guardian said;
- the asker may **withdraw** it.

Every decision locks the request row first, so two people cannot both decide it, and is
audited under the right it was taken with. Only an existing guardian of that child (not
the asker) decides as guardian; anything else is ``NotAllowed`` (a 404 in the views).
"""

from __future__ import annotations

import hmac
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated
from guichet.core.roles import Role
from guichet.core.staff import has_role
from guichet.dossiers import permissions
from guichet.dossiers.models import (
    DossierLink,
    GuardianRequest,
    GuardianRequestStatus,
    LinkMethod,
    LinkRole,
)
from guichet.dossiers.services.linking import absolute_url, make_link, token_digest


class NotAllowed(Http404):
    """This account may not decide this request (shown as a 404: nothing to see here)."""


class RequestClosed(Exception):
    """The request was decided or withdrawn already, or no longer takes a guardian's answer."""


# Reading --------------------------------------------------------------------------------
def is_guardian_of(account: Any, dossier_id: int) -> bool:
    return permissions.right_over(account, dossier_id, act=permissions.WRITE) == Right.GUARDIAN


def token_matches(guardian_request: GuardianRequest, token: str) -> bool:
    return guardian_request.token_expires_at > timezone.now() and hmac.compare_digest(
        guardian_request.token_hash, token_digest(token)
    )


def for_guardian(account: Any, pk: int, token: str | None = None) -> GuardianRequest:
    """The request, for an existing guardian of the child (not the asker); with the
    emailed token, only while that link is valid and unused. Anyone else: 404."""
    found = GuardianRequest.objects.select_related("dossier", "account").filter(pk=pk).first()
    if found is None or found.account_id == account.pk:
        raise NotAllowed
    if not is_guardian_of(account, found.dossier_id):
        raise NotAllowed
    if token is not None and not (
        token_matches(found, token)
        and found.status == GuardianRequestStatus.PENDING
        and found.objected_at is None
    ):
        raise NotAllowed  # used (single use), expired or not ours
    return found


def reportable_link(account: Any, link_pk: int) -> DossierLink:
    """Another guardian's link in force to a child ``account`` is guardian of: what it may
    report to staff. Anyone else: 404."""
    link = (
        DossierLink.objects.active()
        .filter(pk=link_pk, role=LinkRole.GUARDIAN)
        .exclude(account_id=account.pk)
        .select_related("account", "dossier")
        .first()
    )
    if link is None or not is_guardian_of(account, link.dossier_id):
        raise NotAllowed
    return link


# Deciding -------------------------------------------------------------------------------
def _locked(pk: int) -> GuardianRequest:
    """The request, locked until the decision commits."""
    locked = (
        GuardianRequest.objects.select_for_update(of=("self",))
        .select_related("dossier", "account")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise NotAllowed
    return locked


def _still_open(locked: GuardianRequest) -> GuardianRequest:
    if locked.status != GuardianRequestStatus.PENDING:
        raise RequestClosed
    return locked


def _as_guardian(pk: int, actor: Actor, token: str | None) -> GuardianRequest:
    locked = _locked(pk)
    if locked.account_id == actor.pk or not is_guardian_of(actor, locked.dossier_id):
        raise NotAllowed
    if token is not None and not token_matches(locked, token):
        raise NotAllowed
    if _still_open(locked).objected_at is not None:
        raise RequestClosed  # a guardian refused: staff decide now
    return locked


def _approve(
    locked: GuardianRequest, *, actor: Actor, right: Right, request: HttpRequest | None
) -> GuardianRequest:
    method = LinkMethod.STAFF if right == Right.STAFF else LinkMethod.GUARDIAN_APPROVAL
    link = make_link(
        locked.account,
        locked.dossier,
        role=LinkRole.GUARDIAN,
        method=method,
        request=request,
        actor=actor,
        right=right,
    )
    _close(locked, GuardianRequestStatus.APPROVED, actor=actor, right=right, link=link)
    audit.record(
        Action.REQUEST_APPROVED,
        actor=actor,
        subject=locked.account,
        dossier=locked.dossier,
        right=right,
        request=request,
        data={"kind": "guardian_link", "guardian_request": locked.pk},
    )
    _tell_asker(locked, "dossiers/email/guardian_request_approved", request)
    return locked


def _close(
    locked: GuardianRequest,
    status: GuardianRequestStatus,
    *,
    actor: Actor,
    right: Right,
    reason: str = "",
    link: DossierLink | None = None,
) -> None:
    locked.status = status
    locked.decided_by = actor
    locked.decided_as = right
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.link = link
    locked.save(
        update_fields=["status", "decided_by", "decided_as", "decided_at", "reason", "link"]
    )


def _tell_asker(
    locked: GuardianRequest, template: str, request: HttpRequest | None, **context: Any
) -> None:
    """The asker hears of the decision; the child's name only once they are its guardian."""
    asker = locked.account
    send_templated(
        template,
        to=asker.email,
        context={
            "account": asker,
            "guardian_request": locked,
            "family_url": absolute_url(request, reverse("dossiers:household")),
            **context,
        },
        language=asker.language,
    )


@transaction.atomic
def accept_as_guardian(
    pk: int, *, actor: Actor, token: str | None = None, request: HttpRequest | None = None
) -> GuardianRequest:
    """An existing guardian accepts: the asker becomes a guardian of the child too."""
    locked = _as_guardian(pk, actor, token)
    return _approve(locked, actor=actor, right=Right.GUARDIAN, request=request)


@transaction.atomic
def refuse_as_guardian(
    pk: int, *, actor: Actor, token: str | None = None, request: HttpRequest | None = None
) -> GuardianRequest:
    """An existing guardian refuses: nothing is linked, and only staff may still approve,
    once they have checked the person's rights (« parents séparés »)."""
    locked = _as_guardian(pk, actor, token)
    locked.objected_by = actor
    locked.objected_at = timezone.now()
    locked.save(update_fields=["objected_by", "objected_at"])
    audit.record(
        Action.REQUEST_REFUSED,
        actor=actor,
        subject=locked.account,
        dossier=locked.dossier,
        right=Right.GUARDIAN,
        request=request,
        data={"kind": "guardian_link", "guardian_request": locked.pk, "to": "staff"},
    )
    _tell_asker(locked, "dossiers/email/guardian_request_to_staff", request)
    return locked


def _as_staff(pk: int, actor: Actor) -> GuardianRequest:
    if not has_role(actor, Role.REGISTRAR):
        raise NotAllowed
    return _still_open(_locked(pk))


@transaction.atomic
def approve_as_staff(
    pk: int, *, actor: Actor, request: HttpRequest | None = None
) -> GuardianRequest:
    """Staff approve from the request queue, after checking the person's rights."""
    locked = _as_staff(pk, actor)
    return _approve(locked, actor=actor, right=Right.STAFF, request=request)


@transaction.atomic
def refuse_as_staff(
    pk: int, *, reason: str, actor: Actor, request: HttpRequest | None = None
) -> GuardianRequest:
    """Staff refuse with a reason, which the asker receives by email."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A refusal needs a reason.")
    locked = _as_staff(pk, actor)
    _close(locked, GuardianRequestStatus.REFUSED, actor=actor, right=Right.STAFF, reason=reason)
    audit.record(
        Action.REQUEST_REFUSED,
        actor=actor,
        subject=locked.account,
        dossier=locked.dossier,
        right=Right.STAFF,
        request=request,
        data={"kind": "guardian_link", "guardian_request": locked.pk, "reason": reason},
    )
    _tell_asker(locked, "dossiers/email/guardian_request_refused", request, reason=reason)
    return locked


@transaction.atomic
def withdraw(pk: int, *, actor: Actor, request: HttpRequest | None = None) -> GuardianRequest:
    """The asker takes the request back."""
    locked = _locked(pk)
    if locked.account_id != actor.pk:
        raise NotAllowed
    _still_open(locked)
    _close(locked, GuardianRequestStatus.WITHDRAWN, actor=actor, right=Right.SELF)
    audit.record(
        Action.REQUEST_REFUSED,
        actor=actor,
        subject=actor,
        dossier=locked.dossier,
        right=Right.SELF,
        request=request,
        data={"kind": "guardian_link", "guardian_request": locked.pk, "withdrawn": True},
    )
    return locked


# Ending a guardian's link ---------------------------------------------------------------
@transaction.atomic
def end_guardian_link(
    link_pk: int, *, actor: Actor, request: HttpRequest | None = None
) -> DossierLink:
    """Staff end a guardian's link (after a report): the account no longer acts for the
    child, and is told. What it registered stays visible to it, as for any ended link."""
    if not has_role(actor, Role.REGISTRAR):
        raise NotAllowed
    link = (
        DossierLink.objects.select_for_update(of=("self",))
        .select_related("account", "dossier")
        .get(pk=link_pk, role=LinkRole.GUARDIAN)
    )
    if link.ended_at is not None:
        return link
    link.ended_at = timezone.now()
    link.save(update_fields=["ended_at"])
    audit.record(
        Action.DOSSIER_UNLINKED,
        actor=actor,
        subject=link.account,
        dossier=link.dossier,
        right=Right.STAFF,
        request=request,
        data={"role": link.role, "link": link.pk},
    )
    send_templated(
        "dossiers/email/guardian_removed",
        to=link.account.email,
        context={"account": link.account, "dossier": link.dossier},
        language=link.account.language,
    )
    return link

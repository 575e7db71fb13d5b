"""Staff review of the forms that need it (``service_catalog``: naming a « Personne
responsable », changing a contact's « Informations personnelles »).

A reviewed submission is « soumise » until a staff member of Administration or
Inscriptions takes it (« en traitement »), then applies it (« appliquée »: what its payload
says is done now, under the organization's lock, and told as the form would have) or
refuses it with a reason (« refusée »). Each step locks the submission's row first, so two
staff members never decide it twice, is audited under ``Right.STAFF``, and is emailed to
the submission's author. Anyone else gets a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.roles import Role
from guichet.core.staff import has_role
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier
from guichet.organizations.grants import MANAGE_RELATIONS
from guichet.organizations.models import Submission, SubmissionStatus
from guichet.organizations.services import contacts
from guichet.organizations.services.common import Refused, tell_author

REVIEWERS = (Role.ADMINISTRATION, Role.REGISTRAR)
OPEN = (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW)

Applier = Callable[..., None]
APPLIERS: dict[str, Applier] = {
    "add-relation": contacts.apply_add_relation,
    "change-contact": contacts.apply_change_contact,
}


class Closed(Refused):
    """Decided already (or taken by someone else): nothing more to do."""

    def __init__(self) -> None:
        super().__init__(_("This request was decided already."))


def may_review(actor: Any) -> bool:
    return has_role(actor, *REVIEWERS)


def _locked(pk: int, actor: Any) -> Submission:
    if not may_review(actor):
        raise Http404
    found = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("organization", "submitted_by")
        .filter(pk=pk, form__in=list(APPLIERS))
        .exclude(payload={})
        .first()
    )
    if found is None:
        raise Http404
    return found


def _record(
    action: Action, submission: Submission, actor: Any, request: HttpRequest | None, **data: Any
) -> None:
    audit.record(
        action,
        actor=actor,
        subject=submission.submitted_by,
        dossier=submission.organization,
        right=Right.STAFF,
        request=request,
        data={"form": submission.form, "submission": submission.pk, **data},
    )


@transaction.atomic
def take(pk: int, *, actor: Any, request: HttpRequest | None = None) -> Submission:
    """« En traitement »: this staff member handles it."""
    submission = _locked(pk, actor)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise Closed
    submission.status = SubmissionStatus.IN_REVIEW
    submission.reviewer = actor
    submission.taken_at = timezone.now()
    submission.save(update_fields=["status", "reviewer", "taken_at"])
    _record(Action.FORM_TAKEN, submission, actor, request)
    tell_author(submission, request)
    return submission


@transaction.atomic
def apply(pk: int, *, actor: Any, request: HttpRequest | None = None) -> Submission:
    """« Appliquée »: what was asked is done now, if its author still manages the
    organization's relations and the rules still allow it (``Refused`` says why not)."""
    submission = _locked(pk, actor)
    if submission.status not in OPEN:
        raise Closed
    organization = Dossier.objects.select_for_update().get(pk=submission.organization_id)
    author = submission.submitted_by
    if permissions.right_over(author, organization, act=MANAGE_RELATIONS) is None:
        raise Refused(_("Its author no longer manages this organization's relations."))
    APPLIERS[submission.form](submission, actor=actor, organization=organization, request=request)
    submission.status = SubmissionStatus.APPLIED
    submission.reviewer = actor
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "reviewer", "decided_at"])
    _record(Action.FORM_APPLIED, submission, actor, request)
    tell_author(submission, request)
    return submission


@transaction.atomic
def refuse(pk: int, *, actor: Any, reason: str, request: HttpRequest | None = None) -> Submission:
    """« Refusée », with the reason its author receives."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the reason for the refusal: its author receives it."))
    submission = _locked(pk, actor)
    if submission.status not in OPEN:
        raise Closed
    submission.status = SubmissionStatus.REFUSED
    submission.reviewer = actor
    submission.decided_at = timezone.now()
    submission.reason = reason
    submission.save(update_fields=["status", "reviewer", "decided_at", "reason"])
    _record(Action.FORM_REFUSED, submission, actor, request, reason=reason)
    tell_author(submission, request)
    return submission

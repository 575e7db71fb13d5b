"""« Demande d'adhésion »: sending an application, staff's decisions, more documents.

Every decision locks the application row first, is audited in the same transaction and
tells the applicant by email once committed. Approval opens the membership and invoices
its fee (``lifecycle.open_membership``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.core.mail import send_templated
from guichet.dossiers.models import Dossier
from guichet.memberships import signals
from guichet.memberships.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
    MemberType,
    document_storage,
)
from guichet.memberships.services import documents, lifecycle, queries, uploads
from guichet.memberships.services.uploads import STASH


class AlreadyApplied(Exception):
    """The dossier already has an open application or a membership."""


class NotOpen(Exception):
    """The application was decided meanwhile (another agent, another tab)."""


@dataclass(frozen=True)
class StashedDocument:
    """A checked PDF kept while the person goes through the wizard (the session keeps this,
    never the file): stored under a random name no view serves."""

    kind: str
    path: str
    name: str
    size: int
    pages: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "name": self.name,
            "size": self.size,
            "pages": self.pages,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StashedDocument:
        return cls(**{k: data[k] for k in ("kind", "path", "name", "size", "pages")})


def stash(upload: UploadedFile, kind: DocumentKind) -> StashedDocument:
    """Check ``upload`` (``ValidationError`` if it is not a safe PDF) and keep it aside."""
    checked = documents.check_pdf(upload)
    upload.seek(0)
    path = document_storage().save(f"{STASH}/{uuid.uuid4().hex}.pdf", File(upload))
    return StashedDocument(str(kind), path, checked.name, checked.size, checked.pages)


def _attach(
    application: Application, stashed: StashedDocument, *, actor: Any
) -> ApplicationDocument:
    if not stashed.path.startswith(f"{STASH}/") or ".." in stashed.path:
        raise ValidationError("Not a stashed document")
    uploads.hold_shared()  # no sweep deletes it between this check and the commit
    if not uploads.still_there(stashed.path):
        raise ValidationError(
            _("The document “%(name)s” is no longer kept: join it again.") % {"name": stashed.name},
            code="gone",
        )
    return ApplicationDocument.objects.create(
        application=application,
        kind=stashed.kind,
        file=stashed.path,
        original_name=stashed.name,
        size=stashed.size,
        pages=stashed.pages,
        uploaded_by=actor,
    )


def required_missing(member_type: MemberType, kinds: set[str]) -> list[str]:
    """The documents the member type requires that are not among ``kinds``."""
    missing = []
    if member_type.requires_hiring_resolution and DocumentKind.HIRING_RESOLUTION not in kinds:
        missing.append(str(DocumentKind.HIRING_RESOLUTION.label))
    if member_type.requires_diploma and DocumentKind.DIPLOMA not in kinds:
        missing.append(str(DocumentKind.DIPLOMA.label))
    return missing


@transaction.atomic
def submit_application(
    dossier: Dossier,
    member_type: MemberType,
    stashed: list[StashedDocument],
    *,
    actor: Any,
    right: Right = Right.SELF,
    request: HttpRequest | None = None,
) -> Application:
    Dossier.objects.select_for_update().get(pk=dossier.pk)  # one application at a time
    if not queries.standing(dossier).may_apply:
        raise AlreadyApplied
    if missing := required_missing(member_type, {doc.kind for doc in stashed}):
        raise ValidationError(_("Missing document: %(what)s.") % {"what": ", ".join(missing)})
    try:
        with transaction.atomic():
            application = Application.objects.create(
                dossier=dossier, applicant=actor, member_type=member_type
            )
    except IntegrityError:
        raise AlreadyApplied from None
    for document in stashed:
        _attach(application, document, actor=actor)
    record(
        Action.MEMBERSHIP_APPLIED,
        actor=actor,
        subject=actor,
        dossier=dossier,
        right=right,
        request=request,
        data={"application": application.pk, "member_type": member_type.slug},
    )
    _tell(application, "memberships/email/received")
    return application


def _locked_open(application: Application) -> Application:
    locked = Application.objects.select_for_update().select_related("member_type", "dossier")
    current = locked.get(pk=application.pk)
    if not current.is_open:
        raise NotOpen
    return current


@transaction.atomic
def add_documents(
    application: Application,
    stashed: list[StashedDocument],
    *,
    actor: Any,
    request: HttpRequest | None = None,
) -> Application:
    """The person adds what staff asked for: the application returns to the queue."""
    current = _locked_open(application)
    if not stashed:
        raise ValidationError(_("Add at least one PDF document."))
    for document in stashed:
        _attach(current, document, actor=actor)
    current.status = ApplicationStatus.SUBMITTED
    current.queued_at = timezone.now()
    current.save(update_fields=["status", "queued_at"])
    record(
        Action.MEMBERSHIP_DOCUMENTS_ADDED,
        actor=actor,
        subject=current.applicant,
        dossier=current.dossier,
        right=Right.SELF,
        request=request,
        data={"application": current.pk, "documents": len(stashed)},
    )
    return current


def _decide(
    application: Application,
    action: Action,
    *,
    actor: Any,
    request: HttpRequest | None,
    data: dict[str, Any],
) -> None:
    record(
        action,
        actor=actor,
        subject=application.applicant,
        dossier=application.dossier,
        right=Right.STAFF,
        request=request,
        data={"application": application.pk, **data},
    )


@transaction.atomic
def ask_for_more(
    application: Application, message: str, *, actor: Any, request: HttpRequest | None = None
) -> Application:
    current = _locked_open(application)
    current.status = ApplicationStatus.MORE_REQUESTED
    current.message = message.strip()
    current.save(update_fields=["status", "message"])
    _decide(current, Action.MEMBERSHIP_MORE_ASKED, actor=actor, request=request, data={})
    _tell(current, "memberships/email/more_asked")
    return current


@transaction.atomic
def refuse(
    application: Application, reason: str, *, actor: Any, request: HttpRequest | None = None
) -> Application:
    current = _locked_open(application)
    current.status = ApplicationStatus.REFUSED
    current.message = reason.strip()
    current.decided_at = timezone.now()
    current.decided_by = actor
    current.save(update_fields=["status", "message", "decided_at", "decided_by"])
    _decide(current, Action.MEMBERSHIP_REFUSED, actor=actor, request=request, data={})
    _tell(current, "memberships/email/refused")
    return current


@transaction.atomic
def approve(
    application: Application, *, actor: Any, request: HttpRequest | None = None
) -> Application:
    current = _locked_open(application)
    membership, invoice = lifecycle.open_membership(
        current.dossier, current.member_type, actor=actor, applicant=current.applicant
    )
    current.status = ApplicationStatus.APPROVED
    current.decided_at = timezone.now()
    current.decided_by = actor
    current.membership = membership
    current.message = ""
    current.save(update_fields=["status", "decided_at", "decided_by", "membership", "message"])
    _decide(
        current,
        Action.MEMBERSHIP_APPROVED,
        actor=actor,
        request=request,
        data={"membership": membership.pk, "invoice": invoice.pk if invoice else None},
    )
    _tell(current, "memberships/email/approved", invoice=invoice)
    transaction.on_commit(
        partial(
            signals.membership_approved.send,
            Application,
            application=current,
            membership=membership,
        ),
        robust=True,
    )
    return current


def _tell(application: Application, template: str, **context: Any) -> None:
    applicant = application.applicant
    invoice = context.get("invoice")
    send_templated(
        template,
        to=applicant.email,
        context={
            "application": application,
            "applicant": applicant,
            "url": site_url("memberships:application", application.pk),
            "invoice_url": site_url("billing:invoice", invoice.pk) if invoice else "",
            **context,
        },
        language=applicant.language,
    )


def site_url(name: str, *args: Any) -> str:
    return settings.GUICHET_SITE_URL + reverse(name, args=args)

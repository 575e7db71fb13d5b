"""What memberships give to a person's archive and erase when their account closes.

Registered with privacy from ``MembershipsConfig.ready`` (see ``guichet.privacy.registry``).
A membership's type, dates, status and fee stay: its invoice is kept by law and names it.
An application's type, status and dates stay (the staff queue's history); the staff
message is erased, and the documents (hiring resolution, diplomas) are deleted from the
storage with their names.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.privacy import held_and_guarded
from guichet.memberships.models import Application, ApplicationDocument, Membership
from guichet.privacy.registry import (
    Closing,
    Contributor,
    Document,
    Kept,
    Portion,
    SensitiveView,
    Table,
)


def export(account: Any) -> Portion:
    dossiers = list(held_and_guarded(account))
    memberships = [
        {
            "file": m.dossier.number,
            "type": m.member_type.name,
            "status": m.get_status_display(),
            "starts_on": m.starts_on,
            "ends_on": m.ends_on,
            "grace_ends_on": m.grace_ends_on,
            "fee": m.fee,
            "started_at": m.started_at,
            "ended_at": m.ended_at,
        }
        for m in Membership.objects.filter(dossier__in=dossiers)
        .select_related("dossier", "member_type")
        .order_by("starts_on", "id")
    ]
    applications = Application.objects.filter(
        Q(applicant=account) | Q(dossier__in=dossiers)
    ).select_related("dossier", "member_type")
    application_rows = [
        {
            "id": a.pk,
            "file": a.dossier.number,
            "type": a.member_type.name,
            "status": a.get_status_display(),
            "submitted_at": a.submitted_at,
            "decided_at": a.decided_at,
            "message": a.message,
        }
        for a in applications.order_by("submitted_at", "id")
    ]
    sent = list(
        ApplicationDocument.objects.filter(application__in=applications).order_by(
            "uploaded_at", "id"
        )
    )
    copies = {d.pk: copy for d in sent if (copy := _copy_of(d)) is not None}
    documents = [
        {
            "application": d.application_id,
            "document": d.get_kind_display(),
            "file_name": d.original_name,
            "size": d.size,
            "pages": d.pages,
            "uploaded_at": d.uploaded_at,
            "in_this_archive": f"documents/{copies[d.pk].name}" if d.pk in copies else None,
        }
        for d in sent
    ]
    return Portion(
        tables=[
            Table("memberships", _("Your memberships."), memberships),
            Table("membership_applications", _("Your membership applications."), application_rows),
            Table(
                "membership_documents",
                _(
                    "The documents you sent with your applications: their names, and where "
                    "each one is in this archive while it is kept."
                ),
                documents,
            ),
        ],
        documents=list(copies.values()),
    )


def _copy_of(document: ApplicationDocument) -> Document | None:
    """The document as sent, or None once the retention rule deleted its file."""
    if not document.file:
        return None
    try:
        with document.file.open("rb") as stored:
            content = stored.read()
    except OSError:
        return None
    name = get_valid_filename(
        f"adhesion-{document.application_id}-{document.pk}-{document.original_name}"
    )
    return Document(name, content, _("A document sent with a membership application."))


def holds(account: Any) -> str | None:
    """A membership in force, or an application staff have yet to decide: the retention
    job leaves the account until it is over."""
    held = list(held_and_guarded(account))
    if Membership.objects.filter(dossier__in=held).in_force(timezone.localdate()).exists():
        return "membership_in_force"
    if Application.objects.open().filter(Q(applicant=account) | Q(dossier__in=held)).exists():
        return "open_membership_application"
    return None


def anonymize(closing: Closing) -> dict[str, int]:
    applications = Application.objects.filter(
        Q(applicant=closing.account) | Q(dossier__in=[d.pk for d in closing.dossiers])
    )
    documents = ApplicationDocument.objects.filter(application__in=applications)
    files = []
    for document in documents:
        closing.forget(document.original_name)
        if document.file:
            files.append((document.file.storage, document.file.name))
    # The files go only once the closing is committed: a rollback keeps them.
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name))
    for message in applications.exclude(message="").values_list("message", flat=True):
        closing.forget(message)
    return {
        "documents_deleted": documents.delete()[0],
        "applications_erased": applications.exclude(message="").update(message=""),
    }


def reviewed(kwargs: dict[str, Any]) -> list[Any]:
    """The applicant's file, for the staff review of an application."""
    found = Application.objects.filter(pk=kwargs.get("pk") or 0).select_related("dossier")
    return [application.dossier for application in found]


def document_of(kwargs: dict[str, Any]) -> list[Any]:
    """The applicant's file, for a document (hiring resolution, diploma) staff open."""
    found = ApplicationDocument.objects.filter(pk=kwargs.get("pk") or 0).select_related(
        "application__dossier"
    )
    return [document.application.dossier for document in found]


CONTRIBUTOR = Contributor(
    "memberships",
    _("Memberships"),
    order=500,
    export=export,
    anonymize=anonymize,
    holds=holds,
    # The staff review shows the applicant's identity; a document is what they uploaded.
    sensitive_views=(
        SensitiveView(
            "memberships:review", "membership_application", reviewed, _("Membership application")
        ),
        SensitiveView(
            "memberships:document",
            "membership_document",
            document_of,
            _("A membership application's document"),
        ),
    ),
    erases=(
        _(
            "The documents sent with your membership applications (hiring resolution, "
            "diplomas), deleted, and our staff's messages about them."
        ),
    ),
    kept=(
        Kept(
            _(
                "Each membership's type, dates, status and fee; each application's type, "
                "status and dates."
            ),
            _("Six years, with its invoices"),
            _("The membership fee's invoice is kept by law and refers to it."),
        ),
    ),
)

"""Organizations in the privacy registry (registered from ``OrganizationsConfig.ready``).

« Mes données » holds the person's relations with organizations (the function, the
authorized subjects and their right, the dates) and the forms they sent from the service
catalog (what changed, in the words the list shows, and staff's decision). A staff
review of such a form shows its sender and the contact it concerns: it is in the
register of staff views.

Closing an account ends the closing files' relations (and their subjects) and erases
what changed and staff's reasons in the forms the person sent once staff decided them; a
form still waiting for staff makes the retention job wait (``holds``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier, DossierLink, LinkRole
from guichet.dossiers.privacy import held_and_guarded
from guichet.organizations import service_catalog
from guichet.organizations.models import (
    NO_END,
    Relation,
    RelationSubject,
    Submission,
    SubmissionStatus,
)
from guichet.privacy.registry import Closing, Contributor, Kept, Portion, SensitiveView, Table

DECIDED = (SubmissionStatus.APPLIED, SubmissionStatus.REFUSED)


def export(account: Any) -> Portion:
    relations = (
        Relation.objects.filter(contact__in=list(held_and_guarded(account)))
        .select_related("contact", "organization", "through")
        .prefetch_related("subjects__authorized_subject")
        .order_by("start_date", "pk")
    )
    relation_rows = [
        {
            "file": r.contact.number,
            "organization_number": r.organization.number,
            "organization": r.organization.display_name,
            "through": r.through.display_name if r.through else None,
            "function": r.get_kind_display(),
            "subjects": [
                {"subject": subject.authorized_subject.name, "right": subject.get_level_display()}
                for subject in r.subjects.all()
                if subject.removed_at is None
            ],
            "start_date": r.start_date,
            "end_date": None if r.end_date == NO_END else r.end_date,
            "created_at": r.created_at,
            "removed_at": r.removed_at,
        }
        for r in relations
    ]
    titles = {f.code: str(f.title) for f in service_catalog.forms_in()}
    forms = [
        {
            "id": s.pk,
            "form": titles.get(s.form, s.form),
            "organization_number": s.organization.number,
            "organization": s.organization.display_name,
            "status": s.get_status_display(),
            "submitted_at": s.submitted_at,
            "changes": s.changes,
            "attestations": s.attestations,
            "decided_at": s.decided_at,
            "reason": s.reason,
        }
        for s in Submission.objects.visible_to(account)
        .select_related("organization")
        .order_by("submitted_at", "pk")
    ]
    return Portion(
        tables=[
            Table(
                "organization_relations",
                _(
                    "Your relations with organizations: the function, the authorized "
                    "subjects and their right, the dates."
                ),
                relation_rows,
            ),
            Table(
                "organization_forms",
                _("The organization forms you sent (« My requests ») and their outcome."),
                forms,
            ),
        ]
    )


def holds(account: Any) -> str | None:
    """A form staff have yet to decide: the retention job leaves the account until then."""
    waiting = Submission.objects.visible_to(account).exclude(status__in=DECIDED)
    return "open_organization_form" if waiting.exists() else None


def anonymize(closing: Closing) -> dict[str, int]:
    now = timezone.now()
    relations = Relation.objects.filter(
        contact__in=[d.pk for d in closing.dossiers], removed_at__isnull=True
    )
    subjects = RelationSubject.objects.filter(relation__in=relations, removed_at__isnull=True)
    subjects_ended = subjects.update(removed_at=now)
    relations_ended = relations.update(removed_at=now, removed_by=closing.actor)
    # What changed may be another contact's details: erased here, not forgotten in the
    # trail (forgetting scrubs the value from every event that holds it).
    decided = Submission.objects.filter(submitted_by=closing.account, status__in=DECIDED)
    return {
        "relations_ended": relations_ended,
        "relation_subjects_ended": subjects_ended,
        "forms_erased": decided.update(changes=[], reason="", payload={}),
    }


def submission_shown(kwargs: dict[str, Any]) -> list[Any]:
    """The sender's own file and the contact the form names (a contact's dossier id)."""
    found = Submission.objects.filter(pk=kwargs.get("pk") or 0).first()
    if found is None:
        return []
    sender = DossierLink.objects.active().filter(account_id=found.submitted_by_id)
    shown = set(sender.filter(role=LinkRole.HOLDER).values_list("dossier_id", flat=True))
    contact = found.payload.get("contact") if isinstance(found.payload, dict) else None
    if isinstance(contact, int):
        shown.add(contact)
    return list(Dossier.objects.filter(pk__in=shown))


CONTRIBUTOR = Contributor(
    "organizations",
    _("Organizations"),
    order=450,
    export=export,
    anonymize=anonymize,
    holds=holds,
    erases=(
        _("Your relations with organizations end."),
        _(
            "What changed in the organization forms you sent, once staff decided them, and "
            "staff's reasons."
        ),
    ),
    kept=(
        Kept(
            _("Each organization form's kind, organization, status and dates."),
            _("As long as the operator keeps its queue's history"),
            _("It shows how the organization's forms were handled."),
        ),
    ),
    sensitive_views=(
        SensitiveView(
            "organizations:staff_detail",
            "organization_form",
            submission_shown,
            _("An organization's form under review"),
        ),
    ),
)

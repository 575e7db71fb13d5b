"""Relations and their subjects: add (4b, 5b, 7), end (5c), the never-zero-responsibles
rule. Every function locks the organization's row first (``common.locked_organization``),
so two responsibles removing each other at the same moment are served one after the
other, and the second, no longer responsible, is refused."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guichet.audit import services as audit
from guichet.audit.models import Action
from guichet.dossiers.models import Dossier
from guichet.organizations import header, queries
from guichet.organizations.models import (
    NO_END,
    Access,
    AuthorizedSubject,
    Relation,
    RelationSubject,
    RelationType,
    Submission,
)
from guichet.organizations.services.common import (
    RIGHT,
    Refused,
    locked_organization,
    submit,
    tell,
    tell_responsibles,
)


class Target:
    """« À qui désirez-vous ajouter une relation? »"""

    MINE = "mine"  # Mon organisation
    OTHER = "other"  # Une autre organisation (an employer that delegated to us)
    INDIVIDUAL = "individual"  # Un individu (a client who delegated to us)


@dataclass(frozen=True)
class NewRelation:
    contact: Dossier | None  # None until a new contact's dossier is opened
    kind: str
    start_date: date
    end_date: date = NO_END
    target: str = Target.MINE
    client: Dossier | None = None  # for OTHER and INDIVIDUAL
    write: Sequence[AuthorizedSubject] = ()
    read: Sequence[AuthorizedSubject] = ()


def contact_in(organization: Dossier, contact_id: int) -> Dossier:
    """A contact of this organization (any relation, even ended), else 404."""
    found = Relation.objects.of(organization.pk).filter(contact_id=contact_id).exists()
    contact = Dossier.objects.filter(pk=contact_id).first()
    if not found or contact is None:
        raise Http404
    return contact


def _subject_lines(rows: Iterable[tuple[AuthorizedSubject, str]]) -> list[dict[str, str]]:
    return [
        {"what": gettext_noop("Authorized subject"), "value": f"{s.name} ({Access(a).label})"}
        for s, a in rows
    ]


def _delegated(organization: Dossier, client: Dossier) -> dict[int, str]:
    """What ``client`` delegated to ``organization`` and still does: subject id → access."""
    rows = RelationSubject.objects.filter(
        removed_at__isnull=True,
        relation__in=Relation.objects.active().filter(
            contact=organization, organization=client, through__isnull=True
        ),
    )
    return {row.authorized_subject_id: row.level for row in rows}


@transaction.atomic
def add_relation(
    *,
    actor: Any,
    organization_id: int,
    new: NewRelation,
    attestations: Sequence[str],
    request: HttpRequest | None = None,
    form: str = "add-relation",
) -> Submission:
    organization = locked_organization(actor, organization_id)
    through = None
    target = organization
    if new.target in (Target.OTHER, Target.INDIVIDUAL):
        if new.client is None:
            raise Refused(_("Choose the organization or the individual."))
        delegated = _delegated(organization, new.client)
        wanted = [(s, Access.WRITE) for s in new.write] + [(s, Access.READ) for s in new.read]
        for subject, access in wanted:
            given = delegated.get(subject.pk)
            if given is None or (access == Access.WRITE and given != Access.WRITE):
                raise Refused(
                    _("%(subject)s was not delegated to your organization with this right.")
                    % {"subject": subject.name}
                )
        through, target = organization, new.client
    if new.contact is None:
        raise Refused(_("Choose a contact."))
    if new.end_date < new.start_date:
        raise Refused(_("The end date comes before the start date."))
    relation = Relation.objects.create(
        contact=new.contact,
        organization=target,
        through=through,
        kind=new.kind,
        start_date=new.start_date,
        end_date=new.end_date,
        created_by=actor,
    )
    rows = [(s, Access.WRITE) for s in new.write] + [
        (s, Access.READ) for s in new.read if s not in new.write
    ]
    RelationSubject.objects.bulk_create(
        RelationSubject(relation=relation, authorized_subject=s, level=a) for s, a in rows
    )
    changes: list[dict[str, Any]] = [
        {"what": gettext_noop("Relation added"), "value": RelationType(new.kind).label},
        {"what": gettext_noop("Organization"), "value": target.display_name},
        {"what": gettext_noop("Start date"), "value": new.start_date.isoformat()},
        {
            "what": gettext_noop("End date"),
            "value": new.end_date.isoformat() if new.end_date != NO_END else _("none"),
        },
        *_subject_lines(rows),
    ]
    lines = [{k: str(v) for k, v in c.items()} for c in changes]
    submission = submit(
        actor=actor,
        organization=organization,
        form=form,
        attestations=attestations,
        changes=lines,
    )
    audit.record(
        Action.RELATION_ADDED,
        actor=actor,
        dossier=organization,
        right=RIGHT,
        request=request,
        data={
            "relation": relation.pk,
            "contact": new.contact.number,
            "kind": new.kind,
            "organization": target.number,
            "subjects": [f"{s.code}:{a}" for s, a in rows],
            "attestations": [str(t) for t in attestations],
            "submission": submission.pk,
        },
    )
    header.bump_holders_of(new.contact.pk)
    tell(new.contact, organization, lines)
    if new.kind in RelationType.managing() and through is None:
        tell_responsibles(organization, relation, actor=actor, how="form", request=request)
    return submission


def _end(relations: Iterable[Relation], actor: Any, now: Any) -> list[Relation]:
    ended = []
    for relation in relations:
        relation.removed_at = now
        relation.removed_by = actor
        relation.save(update_fields=["removed_at", "removed_by"])
        RelationSubject.objects.filter(relation=relation, removed_at__isnull=True).update(
            removed_at=now
        )
        ended.append(relation)
    return ended


def ensure_a_responsible(organization: Dossier) -> None:
    """An organization never has zero responsibles: read under the organization's lock."""
    if not queries.active_responsibles(organization.pk).exists():
        raise Refused(
            _(
                "%(organization)s must keep at least one responsible person. Name another "
                "responsible before removing this one."
            )
            % {"organization": organization.display_name}
        )


@transaction.atomic
def end_relations(
    *,
    actor: Any,
    organization_id: int,
    contact_id: int,
    relation_ids: Sequence[int] | None,
    attestations: Sequence[str],
    request: HttpRequest | None = None,
) -> Submission:
    """« Toutes les relations » (``relation_ids`` None): every active relation of the
    contact with the organization and its clients ends, and their subjects with them;
    else only the chosen ones."""
    organization = locked_organization(actor, organization_id)
    contact = contact_in(organization, contact_id)
    mine = Relation.objects.of(organization.pk).filter(contact=contact)
    chosen = mine.active() if relation_ids is None else mine.active().filter(pk__in=relation_ids)
    relations = list(chosen.select_for_update().select_related("organization"))
    if not relations:
        raise Refused(_("Choose at least one relation in force."))
    ended = _end(relations, actor, timezone.now())
    ensure_a_responsible(organization)
    changes = [
        {
            "what": str(gettext_noop("Relation removed")),
            "value": f"{RelationType(r.kind).label} — {r.organization.display_name}",
        }
        for r in ended
    ]
    changes = [{k: str(v) for k, v in c.items()} for c in changes]
    submission = submit(
        actor=actor,
        organization=organization,
        form="remove-relation",
        attestations=attestations,
        changes=changes,
    )
    audit.record(
        Action.RELATION_ENDED,
        actor=actor,
        dossier=organization,
        right=RIGHT,
        request=request,
        data={
            "contact": contact.number,
            "relations": [r.pk for r in ended],
            "all": relation_ids is None,
            "attestations": [str(t) for t in attestations],
            "submission": submission.pk,
        },
    )
    header.bump_holders_of(contact.pk)
    tell(contact, organization, changes)
    return submission


@transaction.atomic
def remove_subjects(
    *,
    actor: Any,
    organization_id: int,
    contact_id: int,
    subject_row_ids: Sequence[int],
    attestations: Sequence[str],
    request: HttpRequest | None = None,
) -> Submission:
    """« Un ou plusieurs sujet(s) autorisé(s) associé(s) à une relation »."""
    organization = locked_organization(actor, organization_id)
    contact = contact_in(organization, contact_id)
    rows = list(
        RelationSubject.objects.select_for_update()
        .filter(
            pk__in=subject_row_ids,
            removed_at__isnull=True,
            relation__contact=contact,
        )
        .filter(Q(relation__organization=organization) | Q(relation__through=organization))
        .select_related("authorized_subject")
    )
    if not rows:
        raise Refused(_("Choose at least one authorized subject."))
    now = timezone.now()
    RelationSubject.objects.filter(pk__in=[r.pk for r in rows]).update(removed_at=now)
    changes = [
        {
            "what": gettext_noop("Authorized subject removed"),
            "value": f"{r.authorized_subject.name} ({Access(r.level).label})",
        }
        for r in rows
    ]
    changes = [{k: str(v) for k, v in c.items()} for c in changes]
    submission = submit(
        actor=actor,
        organization=organization,
        form="remove-relation",
        attestations=attestations,
        changes=changes,
    )
    audit.record(
        Action.SUBJECTS_REMOVED,
        actor=actor,
        dossier=organization,
        right=RIGHT,
        request=request,
        data={
            "contact": contact.number,
            "subjects": [r.pk for r in rows],
            "attestations": [str(t) for t in attestations],
            "submission": submission.pk,
        },
    )
    header.bump_holders_of(contact.pk)
    tell(contact, organization, changes)
    return submission


@transaction.atomic
def change_end_date(
    *,
    actor: Any,
    organization_id: int,
    contact_id: int,
    relation_id: int,
    end_date: date,
    attestations: Sequence[str],
    request: HttpRequest | None = None,
) -> Submission:
    """« Date de fin d'une relation » (5a). An end in the past ends the relation; the last
    responsible's relation may not end."""
    organization = locked_organization(actor, organization_id)
    contact = contact_in(organization, contact_id)
    relation = (
        Relation.objects.of(organization.pk)
        .select_for_update()
        .filter(pk=relation_id, contact=contact, removed_at__isnull=True)
        .first()
    )
    if relation is None:
        raise Http404
    if end_date < relation.start_date:
        raise Refused(_("The end date comes before the start date."))
    before = relation.end_date
    relation.end_date = end_date
    relation.save(update_fields=["end_date"])
    ensure_a_responsible(organization)
    changes = [
        {
            "what": str(gettext_noop("End date")),
            "value": f"{RelationType(relation.kind).label}: "
            f"{before.isoformat() if before != NO_END else _('none')} → "
            f"{end_date.isoformat() if end_date != NO_END else _('none')}",
        }
    ]
    submission = submit(
        actor=actor,
        organization=organization,
        form="change-contact",
        attestations=attestations,
        changes=changes,
    )
    audit.record(
        Action.RELATION_END_CHANGED,
        actor=actor,
        dossier=organization,
        right=RIGHT,
        request=request,
        data={
            "relation": relation.pk,
            "before": before.isoformat(),
            "after": end_date.isoformat(),
            "attestations": [str(t) for t in attestations],
            "submission": submission.pk,
        },
    )
    header.bump_holders_of(contact.pk)
    tell(contact, organization, changes)
    return submission

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

from guichet.audit.models import Action, Right
from guichet.dossiers.models import Dossier
from guichet.organizations import queries, service_catalog, signals
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
    conclude,
    lines,
    locked_organization,
    send_for_review,
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


def _checked(organization: Dossier, new: NewRelation) -> tuple[Dossier | None, Dossier]:
    """(through, target) once the rules allow ``new``; ``Refused`` says why not."""
    through = None
    target = organization
    if new.target in (Target.OTHER, Target.INDIVIDUAL):
        if new.client is None:
            raise Refused(_("Choose the organization or the individual."))
        delegated = _delegated(organization, new.client)
        for subject, access in _rows(new):
            given = delegated.get(subject.pk)
            if given is None or (access == Access.WRITE and given != Access.WRITE):
                raise Refused(
                    _("%(subject)s was not delegated to your organization with this right.")
                    % {"subject": subject.name}
                )
        through, target = organization, new.client
    if new.end_date < new.start_date:
        raise Refused(_("The end date comes before the start date."))
    return through, target


def _rows(new: NewRelation) -> list[tuple[AuthorizedSubject, Access]]:
    return [(s, Access.WRITE) for s in new.write] + [
        (s, Access.READ) for s in new.read if s not in new.write
    ]


def describe(new: NewRelation, target: Dossier) -> list[dict[str, str]]:
    """The relation to add, in the words « Mes demandes » and the email show."""
    return lines(
        [
            {"what": gettext_noop("Relation added"), "value": RelationType(new.kind).label},
            {"what": gettext_noop("Organization"), "value": target.display_name},
            {"what": gettext_noop("Start date"), "value": new.start_date.isoformat()},
            {
                "what": gettext_noop("End date"),
                "value": new.end_date.isoformat() if new.end_date != NO_END else _("none"),
            },
            *_subject_lines(_rows(new)),
        ]
    )


def payload_of(new: NewRelation) -> dict[str, Any]:
    """What staff will apply, once they review it (``new_relation_from``)."""
    return {
        "contact": new.contact.pk if new.contact else None,
        "kind": new.kind,
        "start_date": new.start_date.isoformat(),
        "end_date": new.end_date.isoformat(),
        "target": new.target,
        "client": new.client.pk if new.client else None,
        "write": [s.pk for s in new.write],
        "read": [s.pk for s in new.read],
    }


def new_relation_from(payload: dict[str, Any], contact: Dossier | None = None) -> NewRelation:
    subjects = AuthorizedSubject.objects.in_bulk([*payload["write"], *payload["read"]])
    client = Dossier.objects.filter(pk=payload["client"]).first() if payload["client"] else None
    if contact is None:
        contact = Dossier.objects.filter(pk=payload["contact"]).first()
    return NewRelation(
        contact=contact,
        kind=payload["kind"],
        start_date=date.fromisoformat(payload["start_date"]),
        end_date=date.fromisoformat(payload["end_date"]),
        target=payload["target"],
        client=client,
        write=[subjects[pk] for pk in payload["write"] if pk in subjects],
        read=[subjects[pk] for pk in payload["read"] if pk in subjects],
    )


def create_relation(
    *,
    actor: Any,
    organization: Dossier,
    new: NewRelation,
    attestations: Sequence[str],
    request: HttpRequest | None,
    form: str = "add-relation",
    submission: Submission | None = None,
    right: Right = RIGHT,
) -> Submission:
    """The relation and its subjects, under the organization's lock (the caller's), once
    the rules allow it; its contact and the other responsibles are told."""
    through, target = _checked(organization, new)
    if new.contact is None:
        raise Refused(_("Choose a contact."))
    relation = Relation.objects.create(
        contact=new.contact,
        organization=target,
        through=through,
        kind=new.kind,
        start_date=new.start_date,
        end_date=new.end_date,
        created_by=actor,
    )
    rows = _rows(new)
    RelationSubject.objects.bulk_create(
        RelationSubject(relation=relation, authorized_subject=s, level=a) for s, a in rows
    )
    signals.announce(signals.relation_added, relation)
    submission = conclude(
        actor=actor,
        organization=organization,
        form=form,
        attestations=attestations,
        changes=describe(new, target),
        action=Action.RELATION_ADDED,
        data={
            "relation": relation.pk,
            "contact": new.contact.number,
            "kind": new.kind,
            "organization": target.number,
            "subjects": [f"{s.code}:{a}" for s, a in rows],
        },
        request=request,
        told=new.contact,
        right=right,
        submission=submission,
    )
    if new.kind in RelationType.managing() and through is None:
        tell_responsibles(
            organization, relation, actor=submission.submitted_by, how="form", request=request
        )
    return submission


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
    """4b, 5b, 7. Naming a « Personne responsable » waits for staff review
    (``service_catalog``); the rest applies at once."""
    organization = locked_organization(actor, organization_id)
    if service_catalog.reviewed(form, {"kind": new.kind}):
        if new.contact is None:
            raise Refused(_("Choose a contact."))
        _through, target = _checked(organization, new)
        return send_for_review(
            actor=actor,
            organization=organization,
            form=form,
            attestations=attestations,
            changes=[
                {"what": gettext_noop("Contact"), "value": new.contact.display_name},
                *describe(new, target),
            ],
            payload=payload_of(new),
            request=request,
        )
    return create_relation(
        actor=actor,
        organization=organization,
        new=new,
        attestations=attestations,
        request=request,
        form=form,
    )


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
        signals.announce(signals.relation_removed, relation)
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
    changes = lines(
        {
            "what": gettext_noop("Relation removed"),
            "value": f"{RelationType(r.kind).label} — {r.organization.display_name}",
        }
        for r in ended
    )
    submission = conclude(
        actor=actor,
        organization=organization,
        form="remove-relation",
        attestations=attestations,
        changes=changes,
        action=Action.RELATION_ENDED,
        data={
            "contact": contact.number,
            "relations": [r.pk for r in ended],
            "all": relation_ids is None,
        },
        request=request,
        told=contact,
    )
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
    changes = lines(
        {
            "what": gettext_noop("Authorized subject removed"),
            "value": f"{r.authorized_subject.name} ({Access(r.level).label})",
        }
        for r in rows
    )
    submission = conclude(
        actor=actor,
        organization=organization,
        form="remove-relation",
        attestations=attestations,
        changes=changes,
        action=Action.SUBJECTS_REMOVED,
        data={"contact": contact.number, "subjects": [r.pk for r in rows]},
        request=request,
        told=contact,
    )
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
    changes = lines(
        [
            {
                "what": gettext_noop("End date"),
                "value": f"{RelationType(relation.kind).label}: "
                f"{before.isoformat() if before != NO_END else _('none')} → "
                f"{end_date.isoformat() if end_date != NO_END else _('none')}",
            }
        ]
    )
    return conclude(
        actor=actor,
        organization=organization,
        form="change-contact",
        attestations=attestations,
        changes=changes,
        action=Action.RELATION_END_CHANGED,
        data={
            "relation": relation.pk,
            "before": before.isoformat(),
            "after": end_date.isoformat(),
        },
        request=request,
        told=contact,
    )

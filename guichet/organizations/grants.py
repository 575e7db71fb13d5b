"""The organizations' grant sources for the permissions API (``dossiers.grants``).

Registered by ``OrganizationsConfig.ready``. Each is one indexed query of the account's
held dossier's relations in force on ``day``:

- ``subjects_held``: one row per authorized subject of an active relation, for the
  relation's organization, in the subject's access (read, or read and write), also over
  what others made for the organization (its invoices). A subject assigned *through* an
  association (delegated by an employer) counts only while the employer's relation to the
  association is active and still carries that subject; the access is never more than
  the employer gave (a subject delegated in read, assigned in write, reads).
- ``relations_managed``: a « Personne responsable » (``RelationType.managing``) manages
  the organization's relations (``MANAGE_RELATIONS``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When

from guichet.audit.models import Right
from guichet.dossiers.grants import Access, Act
from guichet.dossiers.models import DossierLink, LinkRole
from guichet.organizations.models import Relation, RelationSubject, RelationType

RELATIONS = "relations"  # the permissions API's subject: the organization's relations
MANAGE_RELATIONS = Act(RELATIONS, Access.WRITE)
READ_RELATIONS = Act(RELATIONS, Access.READ)


def _held(account: Any) -> QuerySet[DossierLink, Any]:
    return (
        DossierLink.objects.active()
        .filter(account_id=account.pk, role=LinkRole.HOLDER)
        .values("dossier")
    )


def _in_force(day: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}removed_at__isnull": True,
            f"{prefix}start_date__lte": day,
            f"{prefix}end_date__gte": day,
        }
    )


def subjects_held(account: Any, day: date) -> QuerySet[RelationSubject]:
    delegated = RelationSubject.objects.filter(
        _in_force(day, "relation__"),
        removed_at__isnull=True,
        authorized_subject=OuterRef("authorized_subject"),
        relation__contact=OuterRef("relation__through"),
        relation__organization=OuterRef("relation__organization"),
        relation__through__isnull=True,
    )
    # Read and write only where one's own row and, through an association, the employer's
    # row both say write.
    writes = Q(level=Access.WRITE) & (
        Q(relation__through__isnull=True) | Exists(delegated.filter(level=Access.WRITE))
    )
    access = Case(
        When(writes, then=Value(Access.WRITE)),
        default=Value(Access.READ),
        output_field=CharField(),
    )
    return (
        RelationSubject.objects.filter(
            _in_force(day, "relation__"),
            removed_at__isnull=True,
            relation__contact__in=_held(account),
        )
        .filter(Q(relation__through__isnull=True) | Exists(delegated))
        .annotate(
            dossier=F("relation__organization_id"),
            right=Value(Right.RELATION),
            subject=F("authorized_subject__grants"),
            access=access,
            others=access,
        )
    )


def relations_managed(account: Any, day: date) -> QuerySet[Relation]:
    return Relation.objects.filter(
        _in_force(day),
        contact__in=_held(account),
        kind__in=RelationType.managing(),
        through__isnull=True,
    ).annotate(
        dossier=F("organization_id"),
        right=Value(Right.RELATION),
        access=Value(Access.WRITE),
        subject=Value(RELATIONS),
        others=Value(Access.NONE),
    )

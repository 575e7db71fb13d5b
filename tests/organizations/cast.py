"""The organizations' cast: a union local with its responsible, an employer that delegated
to it, and helpers to make relations with subjects."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from guichet.dossiers.models import Dossier, DossierKind, DossierLink, LinkMethod, LinkRole
from guichet.organizations import queries, subjects
from guichet.organizations.models import (
    AuthorizedSubject,
    Relation,
    RelationSubject,
    RelationType,
)
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory


def organization(name: str = "Syndicat local 1234", **fields: Any) -> Dossier:
    return DossierFactory(
        kind=DossierKind.ORGANIZATION,
        first_name="",
        last_name="",
        birth_date=None,
        organization_name=name,
        **fields,
    )


def contact_with_account(**fields: Any) -> tuple[Any, Dossier]:
    """An account holding its own person's dossier."""
    names = {k: fields.pop(k) for k in ("first_name", "last_name") if k in fields}
    account = AccountFactory(**names)
    person = DossierFactory(
        first_name=account.first_name, last_name=account.last_name, email=account.email, **fields
    )
    DossierLink.objects.create(
        account=account, dossier=person, role=LinkRole.HOLDER, method=LinkMethod.STAFF
    )
    return account, person


def subject(code: str) -> AuthorizedSubject:
    subjects.seed()
    return AuthorizedSubject.objects.get(code=code)


def relate(
    contact: Dossier,
    to: Dossier,
    kind: str = RelationType.STAFF,
    grants: Mapping[str, str] | None = None,
    *,
    through: Dossier | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Relation:
    """``grants``: subject code → « read » or « write »."""
    fields: dict[str, Any] = {}
    if start:
        fields["start_date"] = start
    if end:
        fields["end_date"] = end
    relation = Relation.objects.create(
        contact=contact, organization=to, kind=kind, through=through, **fields
    )
    for code, access in (grants or {}).items():
        RelationSubject.objects.create(
            relation=relation, authorized_subject=subject(code), level=access
        )
    return relation


def act_as(client: Any, account: Any, organization: Dossier) -> Any:
    """Sign ``account`` in and act for ``organization`` (as the profile switcher does)."""
    client.force_login(account)
    session = client.session
    session[queries.SESSION_KEY] = {"id": organization.pk, "name": organization.display_name}
    session.save()
    return client

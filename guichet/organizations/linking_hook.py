"""What proving an organization's credentials does (registered with dossiers' linking):
the account's person becomes the organization's contact, with the relation the preset
gives the one who holds those credentials (CCQ: « Personne responsable »). The account
keeps (or gets) its own person's dossier: an organization is never « held ».

Whoever already manages the organization's relations (its active responsibles) is told by
email, with the page where they may end the new relation (``views.forms.end_relation``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from guichet import presets
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier, LinkMethod, LinkRole
from guichet.dossiers.services.identity import NewDossier, open_dossier
from guichet.dossiers.services.linking import Outcome, Status, make_link
from guichet.organizations import header, signals
from guichet.organizations.models import Relation
from guichet.organizations.services.common import tell_responsibles

LINK_RELATION = "responsible"


def relation_for_credentials() -> str:
    return presets.active().organization_link_relation or LINK_RELATION


@transaction.atomic
def link_organization(
    account: Any, organization: Dossier, method: LinkMethod, request: HttpRequest | None
) -> Outcome:
    person = permissions.held_dossier(account)
    if person is None:
        person = open_dossier(
            NewDossier(
                first_name=account.first_name,
                last_name=account.last_name,
                birth_date=None,
                language=account.language,
                email=account.email,
            ),
            actor=account,
            subject=account,
            request=request,
            because={"organization": organization.number},
            right=Right.SELF,
        )
        make_link(account, person, role=LinkRole.HOLDER, method=method, request=request)
    kind = relation_for_credentials()
    already = Relation.objects.active().filter(
        contact=person, organization=organization, kind=kind, through__isnull=True
    )
    if already.exists():
        return Outcome(Status.ALREADY_LINKED, organization)
    relation = Relation.objects.create(
        contact=person, organization=organization, kind=kind, created_by=account
    )
    signals.announce(signals.relation_added, relation)
    audit.record(
        Action.RELATION_ADDED,
        actor=account,
        subject=account,
        dossier=organization,
        right=Right.SELF,
        request=request,
        data={
            "relation": relation.pk,
            "contact": person.number,
            "kind": kind,
            "organization": organization.number,
            "method": method,
        },
    )
    header.bump([account.pk])
    tell_responsibles(organization, relation, actor=account, how="legacy", request=request)
    return Outcome(Status.LINKED, organization, next_url=reverse("organizations:linked"))

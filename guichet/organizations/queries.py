"""Reads: an account's organizations, an organization's contacts and authorizations."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier, DossierKind, DossierLink, LinkRole
from guichet.organizations.models import Relation, RelationSubject, RelationType


def held_dossiers(account: Any) -> QuerySet[DossierLink, Any]:
    return (
        DossierLink.objects.active()
        .filter(account_id=account.pk, role=LinkRole.HOLDER)
        .values("dossier")
    )


def organizations_of(account: Any) -> QuerySet[Dossier]:
    """The organizations the account's person is an active contact of (its profiles)."""
    if not account.is_authenticated:
        return Dossier.objects.none()
    active = Relation.objects.active().filter(contact__in=held_dossiers(account))
    return Dossier.objects.filter(
        kind=DossierKind.ORGANIZATION, pk__in=active.values("organization")
    ).order_by("organization_name", "pk")


# The profile a session acts as: the organization's id and name (the name for the header,
# which then costs no query); absent, the person acts as themselves.
SESSION_KEY = "organizations.acting"


def acting_organization(request: HttpRequest) -> Dossier | None:
    """The organization this session acts for, while it is still one of the account's
    profiles (an ended relation drops it)."""
    chosen = request.session.get(SESSION_KEY)
    if not chosen or not request.user.is_authenticated:
        return None
    organization = organizations_of(request.user).filter(pk=chosen.get("id")).first()
    if organization is None:
        request.session.pop(SESSION_KEY, None)
    return organization


def remember(request: HttpRequest, organization: Dossier | None) -> None:
    if organization is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = {"id": organization.pk, "name": organization.display_name}


def acting_name(request: HttpRequest) -> str:
    """The header's profile, without a query."""
    session = getattr(request, "session", None)
    chosen = (session.get(SESSION_KEY) if session is not None else None) or {}
    return str(chosen.get("name", ""))


def contacts_of(organization: Dossier) -> QuerySet[Relation]:
    """« Contacts de l'organisation »: every relation of a contact with the organization
    (its own, and those assigned through it to employers that delegated to it)."""
    return Relation.objects.of(organization.pk).select_related("contact", "organization")


def authorizations_of(organization: Dossier) -> QuerySet[RelationSubject]:
    """« Autorisations »: the subjects of those relations; the organization's own subjects
    (what employers delegated to it) first."""
    own = Q(relation__contact_id=organization.pk)
    mine = Q(relation__organization_id=organization.pk) | Q(relation__through_id=organization.pk)
    return RelationSubject.objects.filter(own | mine).select_related(
        "authorized_subject", "relation__contact", "relation__organization"
    )


def active_responsibles(organization_id: int) -> QuerySet[Relation]:
    return Relation.objects.active().filter(
        organization_id=organization_id, kind__in=RelationType.managing(), through__isnull=True
    )


def delegating_organizations(organization: Dossier) -> QuerySet[Dossier]:
    """Employers whose active relation names this organization as contact (« Une autre
    organisation »: those that delegated to it)."""
    active = Relation.objects.active().filter(contact=organization, through__isnull=True)
    return Dossier.objects.filter(pk__in=active.values("organization")).order_by(
        "organization_name"
    )


def holder_account(dossier: Dossier) -> Any:
    return permissions.holder_of(dossier)

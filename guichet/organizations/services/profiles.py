"""Acting as oneself or as an organization (the profile switcher), audited; the view
keeps the choice in the session (``queries.remember``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.dossiers.models import Dossier
from guichet.organizations import queries


@transaction.atomic
def switch_profile(
    *,
    actor: Any,
    organization_id: int | None,
    before: int | None = None,
    request: HttpRequest | None = None,
) -> Dossier | None:
    """Act as oneself (``None``) or as one of one's organizations (else 404)."""
    organization = None
    if organization_id is not None:
        organization = queries.organizations_of(actor).filter(pk=organization_id).first()
        if organization is None:
            raise Http404
    audit.record(
        Action.PROFILE_SWITCHED,
        actor=actor,
        subject=actor,
        dossier=organization,
        right=Right.RELATION if organization else Right.SELF,
        request=request,
        data={"before": before, "after": organization.number if organization else "self"},
    )
    return organization

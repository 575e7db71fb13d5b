"""Acting as oneself or as an organization (the profile switcher), audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.dossiers.models import Dossier
from guichet.organizations import queries
from guichet.organizations.models import ActingProfile


@transaction.atomic
def switch_profile(
    *, actor: Any, organization_id: int | None, request: HttpRequest | None = None
) -> Dossier | None:
    """Act as oneself (``None``) or as one of one's organizations (else 404)."""
    organization = None
    if organization_id is not None:
        organization = queries.organizations_of(actor).filter(pk=organization_id).first()
        if organization is None:
            raise Http404
    profile, _created = ActingProfile.objects.select_for_update().get_or_create(account=actor)
    before = profile.organization_id
    profile.organization = organization
    profile.changed_at = timezone.now()
    profile.save(update_fields=["organization", "changed_at"])
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

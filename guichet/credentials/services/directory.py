"""What a member shows in the members directory: the opt-in (« Ma fiche »'s own field,
changed through dossiers' service) and the fields shown beside the name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.credentials.models import DirectoryListing
from guichet.dossiers.models import Dossier, Profile
from guichet.dossiers.services import profile as profiles

CHOICES = ("region", *DirectoryListing.SHOWN_FIELDS)


@transaction.atomic
def update_listing(
    dossier: Dossier,
    *,
    listed: bool,
    choices: Mapping[str, Any],
    actor: Any,
    request: HttpRequest | None = None,
) -> DirectoryListing:
    """Save whether the person is listed and what is shown; each change audited."""
    unknown = set(choices) - set(CHOICES)
    if unknown:
        raise ValueError(f"Not a directory choice: {sorted(unknown)}")
    in_directory = Profile.objects.filter(dossier=dossier).values_list("in_directory", flat=True)
    if bool(in_directory.first()) != listed:
        profiles.update_card(
            dossier, {"in_directory": listed}, actor=actor, right=Right.SELF, request=request
        )
    listing, _created = DirectoryListing.objects.select_for_update().get_or_create(dossier=dossier)
    before = {name: getattr(listing, name) for name in choices}
    changed = {name: value for name, value in choices.items() if before[name] != value}
    if changed:
        for name, value in changed.items():
            setattr(listing, name, value)
        listing.save()
        record(
            Action.DIRECTORY_CHANGED,
            actor=actor,
            subject=actor,
            dossier=dossier,
            right=Right.SELF,
            request=request,
            data={
                "before": {name: before[name] for name in changed},
                "after": changed,
            },
        )
    return listing

"""« Modifier les informations d'une organisation » (guide 003, catalog « Profil »,
category « Dossier client »): whoever holds the authorized subject « Profil » in write
changes the organization's address, phone numbers and email; its name is the registry's
and is not changed here. « Profil » in read only shows the form without changing it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_noop

from guichet.audit.models import Action
from guichet.core.mail import send_templated
from guichet.dossiers.grants import WRITE
from guichet.dossiers.models import Dossier
from guichet.organizations import phones
from guichet.organizations.models import Submission
from guichet.organizations.services.common import (
    conclude,
    diff_lines,
    locked_organization,
    save_changes,
)

# The file's columns this form changes, and their words in « Mes demandes ».
LABELS = {
    "work_street": gettext_noop("Street address"),
    "work_city": gettext_noop("City"),
    "work_province": gettext_noop("Province"),
    "work_postal_code": gettext_noop("Postal code"),
    "email": gettext_noop("Email address"),
    **phones.TYPES,
}


@transaction.atomic
def change_organization(
    *,
    actor: Any,
    organization_id: int,
    wanted: Mapping[str, str],
    attestations: Sequence[str],
    request: HttpRequest | None = None,
) -> Submission:
    """``wanted``: the file's columns (``LABELS``) → their new value. Needs « Profil » in
    write, checked under the organization's lock (404 without it). The organization's
    addresses on file (the former and the new) are told of the change."""
    organization = locked_organization(actor, organization_id, act=WRITE)
    unknown = set(wanted) - set(LABELS)
    if unknown:
        raise ValueError(f"Not a column this form changes: {sorted(unknown)}")
    diff = save_changes(organization, wanted)
    changes = diff_lines(diff, LABELS)
    submission = conclude(
        actor=actor,
        organization=organization,
        form="change-organization",
        attestations=attestations,
        changes=changes,
        action=Action.PROFILE_CHANGED,
        data={
            "section": "organization",
            "before": {column: before for column, (before, _after) in diff.items()},
            "after": {column: after for column, (_before, after) in diff.items()},
        },
        request=request,
    )
    former = diff.get("email", ("", ""))[0]
    addresses = sorted({a for a in (organization.email, former) if a})
    if addresses:
        transaction.on_commit(lambda: _tell(organization, actor, changes, addresses))
    return submission


def _tell(organization: Dossier, actor: Any, changes: list[dict[str, str]], to: list[str]) -> None:
    send_templated(
        "organizations/email/organization_changed",
        to=to,
        context={"organization": organization, "actor": actor, "changes": changes},
        language=organization.language,
    )

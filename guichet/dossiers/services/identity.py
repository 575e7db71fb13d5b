"""A dossier's identity: opening a dossier under the next number, and correcting its locked
fields (names, birth date).

Staff decide both (``requests`` calls these when a request is approved); each writes its
audit row in the same transaction. Numbers come from ``dossiers.numbering``: two openings
at once may compute the same number, the unique index on ``Dossier.number`` refuses the
second, which then takes the next one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.core.roles import Role
from guichet.core.staff import has_role
from guichet.dossiers import numbering
from guichet.dossiers.models import Dossier, DossierLink, LinkMethod, LinkRole

NUMBERING_ATTEMPTS = 5


@dataclass(frozen=True)
class NewDossier:
    """What staff know of the person whose dossier they open."""

    first_name: str
    last_name: str
    birth_date: date | None
    language: str
    email: str = ""
    home_street: str = ""
    home_city: str = ""
    home_postal_code: str = ""
    home_phone: str = ""


@transaction.atomic
def open_dossier(
    person: NewDossier,
    *,
    actor: Actor,
    subject: Any = None,
    request: HttpRequest | None = None,
    because: Mapping[str, Any] | None = None,
    right: Right = Right.STAFF,
) -> Dossier:
    """Open a dossier under the next number in the operator's format.

    ``subject``: the account the dossier is opened for; ``because``: what led to it (e.g.
    ``{"request": pk}``), kept in the audit row. ``right``: staff, or the right the caller
    checked (an organization's responsible opening a new contact's dossier: ``relation``;
    a person's own dossier opened as they prove an organization's credentials: ``self``)."""
    if right == Right.STAFF:
        _staff_only(actor)
    dossier = _create_numbered(asdict(person))
    record(
        Action.DOSSIER_OPENED,
        actor=actor,
        subject=subject,
        dossier=dossier,
        right=right,
        request=request,
        data={"number": dossier.number, **(because or {})},
    )
    return dossier


@transaction.atomic
def open_own_dossier(
    person: NewDossier,
    *,
    account: Any,
    request: HttpRequest | None = None,
    because: Mapping[str, Any] | None = None,
) -> Dossier:
    """A newcomer opens their own dossier (where the preset lets people do it, e.g. the
    COMAQ participant file): the next number, and ``account`` as its holder.

    The caller has already checked that no dossier on file is the same person (name,
    birth date and email): this never opens a second dossier for someone on file."""
    dossier = _create_numbered(asdict(person))
    DossierLink.objects.create(
        account=account, dossier=dossier, role=LinkRole.HOLDER, method=LinkMethod.OPENED
    )
    record(
        Action.DOSSIER_OPENED,
        actor=account,
        subject=account,
        dossier=dossier,
        right=Right.SELF,
        request=request,
        data={"number": dossier.number, **(because or {})},
    )
    record(
        Action.DOSSIER_LINKED,
        actor=account,
        subject=account,
        dossier=dossier,
        right=Right.SELF,
        request=request,
        data={"method": LinkMethod.OPENED, "role": LinkRole.HOLDER},
    )
    return dossier


@transaction.atomic
def mirror_membership(dossier: Dossier, member_until: date | None) -> None:
    """Keep ``Dossier.member_until`` (what the catalog's member prices and members-only
    offerings read) equal to the end of the membership in force. Only memberships call
    this, from their own audited services."""
    Dossier.objects.filter(pk=dossier.pk).update(member_until=member_until)
    dossier.member_until = member_until


def _create_numbered(fields: dict[str, Any]) -> Dossier:
    for _attempt in range(NUMBERING_ATTEMPTS - 1):
        try:
            with transaction.atomic():  # a savepoint: a taken number rolls back only this
                return Dossier.objects.create(number=numbering.next_number(), **fields)
        except IntegrityError:
            continue
    return Dossier.objects.create(number=numbering.next_number(), **fields)


@transaction.atomic
def correct_identity(
    dossier: Dossier,
    corrected: Mapping[str, str],
    *,
    actor: Actor,
    subject: Any = None,
    request: HttpRequest | None = None,
    because: Mapping[str, Any] | None = None,
) -> Dossier:
    """Apply corrected names or birth date (as text, ISO dates) to the dossier.

    What is replaced is read from the locked row, so the trail shows the dossier as it was
    when the correction applied, even if staff changed it meanwhile."""
    _staff_only(actor)
    unknown = set(corrected) - set(Dossier.LOCKED_FIELDS)
    if unknown:
        raise ValueError(f"Not a locked identity field: {sorted(unknown)}")
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    before = {field: _as_text(getattr(locked, field)) for field in Dossier.LOCKED_FIELDS}
    after = {field: corrected.get(field, before[field]) for field in Dossier.LOCKED_FIELDS}
    locked.first_name = after["first_name"]
    locked.last_name = after["last_name"]
    locked.birth_date = date.fromisoformat(after["birth_date"]) if after["birth_date"] else None
    locked.save(update_fields=[*Dossier.LOCKED_FIELDS, "updated_at"])
    record(
        Action.PROFILE_CHANGED,
        actor=actor,
        subject=subject,
        dossier=locked,
        right=Right.STAFF,
        request=request,
        data={"before": before, "after": after, **(because or {})},
    )
    return locked


def _staff_only(actor: Actor) -> None:
    if not has_role(actor, Role.REGISTRAR):
        raise PermissionDenied


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)

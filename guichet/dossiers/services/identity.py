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
from guichet.dossiers import numbering, permissions
from guichet.dossiers.models import Dossier

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
) -> Dossier:
    """Open a dossier under the next number in the operator's format.

    ``subject``: the account the dossier is opened for; ``because``: what led to it (e.g.
    ``{"request": pk}``), kept in the audit row."""
    _staff_only(actor)
    dossier = _create_numbered(asdict(person))
    record(
        Action.DOSSIER_OPENED,
        actor=actor,
        subject=subject,
        dossier=dossier,
        right=Right.STAFF,
        request=request,
        data={"number": dossier.number, **(because or {})},
    )
    return dossier


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
    if not permissions.is_staff(actor):
        raise PermissionDenied


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)

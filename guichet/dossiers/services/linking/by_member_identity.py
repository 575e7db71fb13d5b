"""CAOMSC: matricule, « Nom de famille », « Date de naissance », « Code postal »."""

from __future__ import annotations

from datetime import date
from typing import TypeGuard

from django.db import transaction
from django.http import HttpRequest

from guichet.accounts.types import Actor
from guichet.dossiers.models import Dossier, LinkMethod, LinkRole
from guichet.dossiers.services.linking.by_number import dossier_numbered
from guichet.dossiers.services.linking.codes import normalize_code, normalize_name
from guichet.dossiers.services.linking.conclusion import conclude
from guichet.dossiers.services.linking.outcomes import Outcome
from guichet.dossiers.services.linking.throttle import fail, guard


def identity_matches(
    dossier: Dossier | None, *, last_name: str, birth_date: date, postal_code: str
) -> TypeGuard[Dossier]:
    """CAOMSC's identity: birth date, last name (case and accents aside), postal code."""
    return (
        dossier is not None
        and dossier.birth_date == birth_date
        and normalize_name(dossier.last_name) == normalize_name(last_name)
        and normalize_code(postal_code)
        in {normalize_code(dossier.home_postal_code), normalize_code(dossier.postal_code)}
    )


@transaction.atomic
def link_by_member_identity(
    *,
    actor: Actor,
    number: str,
    last_name: str,
    birth_date: date,
    postal_code: str,
    request: HttpRequest | None = None,
) -> Outcome:
    """CAOMSC: matricule, « Nom de famille », « Date de naissance », « Code postal »."""
    method = LinkMethod.MEMBER_IDENTITY
    dossier = dossier_numbered(number)
    if refused := guard(actor, dossier, method, request):
        return refused
    matching = identity_matches(
        dossier, last_name=last_name, birth_date=birth_date, postal_code=postal_code
    )
    if not matching:
        return fail(actor, dossier, method, request, "mismatch")
    assert dossier is not None  # identity_matches found it
    return conclude(
        actor, dossier, role=LinkRole.HOLDER, method=method, request=request, confirm_by_email=True
    )

"""Baie-Comeau's « Numéro de dossier » and « Date de naissance »; also « Ma famille »."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest

from guichet.accounts.types import Actor
from guichet.dossiers.models import Dossier, LinkMethod, LinkRole
from guichet.dossiers.services.linking.conclusion import conclude
from guichet.dossiers.services.linking.outcomes import Outcome
from guichet.dossiers.services.linking.throttle import fail, guard


def dossier_numbered(number: str) -> Dossier | None:
    return Dossier.objects.filter(number=number.strip()).first()


@transaction.atomic
def link_by_number(
    *,
    actor: Actor,
    number: str,
    birth_date: date,
    role: LinkRole = LinkRole.HOLDER,
    request: HttpRequest | None = None,
) -> Outcome:
    """Baie-Comeau's « Numéro de dossier » and « Date de naissance »; also households."""
    method = LinkMethod.NUMBER_AND_BIRTH_DATE
    dossier = dossier_numbered(number)
    if refused := guard(actor, dossier, method, request, role):
        return refused
    if dossier is None or dossier.birth_date != birth_date:
        return fail(actor, dossier, method, request, "mismatch")
    return conclude(
        actor, dossier, role=role, method=method, request=request, confirm_by_email=True
    )

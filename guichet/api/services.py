"""The API's writes. Each goes through the owning domain's service where one exists
(dossiers: the import's row rules and upsert; registrations: ``submit_cart`` and
``confirm``; billing: ``record_receipt``), and records the key's name in the audit trail
in the same transaction (``base.ApiViewSet.record_write``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model

from guichet import presets
from guichet.audit.models import Right
from guichet.catalog.models import Offering
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier, DossierKind
from guichet.dossiers.services.importing import COLUMNS, clean_row
from guichet.dossiers.services.importing.applying import write_batch
from guichet.registrations.models import Registration
from guichet.registrations.services.register import ToRegister, confirm, submit_cart

FIELD_COLUMNS = {field: column for column, field in COLUMNS.items()}
KIND_WORDS = {DossierKind.PERSON: "personne", DossierKind.ORGANIZATION: "organisation"}


class Invalid(Exception):
    """The domain's rules refused the values: ``errors`` by field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _as_cell(field: str, value: Any) -> str:
    if value is None:
        return ""
    if field == "kind":
        return KIND_WORDS.get(value, str(value))
    if field == "is_resident":
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def upsert_dossier(number: str, values: dict[str, Any]) -> tuple[Dossier, bool]:
    """Create or update the dossier ``number`` as one row of an import would (the import's
    validation and upsert); absent fields keep their value. Returns (dossier, created).
    The caller holds the transaction (and records the audit row in it)."""
    current = Dossier.objects.filter(number=number).first()
    cells: dict[str, str] = {"numero": number}
    if current is not None:
        for field, column in FIELD_COLUMNS.items():
            if field in values or field.startswith("legacy_") or field == "number":
                continue
            cells[column] = _as_cell(field, getattr(current, field))
    for field, value in values.items():
        cells[FIELD_COLUMNS[field]] = _as_cell(field, value)
    row, reasons = clean_row(cells, re.compile(presets.active().dossier_number_pattern))
    if reasons:
        raise Invalid({"non_field_errors": reasons})
    header_fields = [COLUMNS[column] for column in cells]
    created = write_batch([row], header_fields, dry_run=False) == 1
    return Dossier.objects.get(number=number), created


def save_model(instance: Model, values: dict[str, Any]) -> Model:
    """An offering or a session, as the admin saves it: the model's own validation
    (fields and constraints) first."""
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        raise Invalid(error.message_dict) from error
    instance.save()
    return instance


def api_registration_right(actor: Any, dossier: Dossier) -> Right | None:
    """Who may register whom through the API: the permissions API's answer for a change
    the actor makes itself (its own right over the dossier; staff as staff)."""
    return permissions.right_on(actor, dossier, made_by=actor.pk, act=permissions.REGISTER)


def register(
    *,
    actor: Any,
    offering: Offering,
    participant: Dossier,
    options: dict[int, int],
    answers: dict[str, Any],
    idempotency_key: str,
    right_for: Callable[[Any, Dossier], Right | None] = api_registration_right,
) -> tuple[dict[str, Any], Registration | None]:
    """Submit one line through registrations' own ``submit_cart`` (eligibility, capacity,
    waiting list, idempotency on the key), then confirm a held spot as the pages' last
    step does (an invoice where something is owed). A retry with the same key returns
    the first result and creates nothing."""
    result = submit_cart(
        actor=actor,
        lines=[ToRegister(offering, participant, options, answers)],
        idempotency_key=f"api:{idempotency_key}",
        right_for=right_for,
    )
    line = result["lines"][0]
    if not line.get("registration"):
        return line, None
    registration = Registration.objects.get(pk=line["registration"])
    registration = confirm(registration, actor=actor)
    return line, registration

"""Validating one row: its cells as ``Dossier`` values, and every reason it is refused,
in French, naming the column and quoting the value (cut)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import presets
from guichet.core.dates import DateReadError, read_date
from guichet.dossiers.legacy import is_supported_hash
from guichet.dossiers.models import Dossier, DossierKind
from guichet.dossiers.services.importing.reading import COLUMNS, quoted
from guichet.dossiers.validators import (
    normalize_phone,
    normalize_postal_code,
    validate_phone,
    validate_postal_code,
)

if TYPE_CHECKING:
    from django.db.models import Field

KINDS = {"personne": DossierKind.PERSON, "organisation": DossierKind.ORGANIZATION}
LANGUAGES = {"fr", "en"}
PROVINCES = {"QC", "ON", "NB", "NS", "PE", "NL", "MB", "SK", "AB", "BC", "YT", "NT", "NU"}
YES = {"oui", "o", "1", "vrai", "yes", "y", "true"}
NO = {"non", "n", "0", "faux", "no", "false", ""}
PHONES = ("home_phone", "mobile_phone", "work_phone")
POSTAL_CODES = ("home_postal_code", "work_postal_code")
MAX_LENGTHS = {
    name: cast("Field[Any, Any]", Dossier._meta.get_field(name)).max_length
    for name in COLUMNS.values()
}


def clean_row(cells: dict[str, str], pattern: re.Pattern[str]) -> tuple[dict[str, Any], list[str]]:
    """The row as Dossier field values, and the reasons it is refused (French)."""
    values: dict[str, Any] = {}
    reasons: list[str] = []
    for column, text in cells.items():
        values[COLUMNS[column]] = text
    number = values["number"]
    if not number:
        reasons.append(_("The file number is missing."))
    elif not pattern.match(number):
        reasons.append(
            _("Invalid file number « %(number)s » (expected like %(example)s).")
            % {"number": quoted(number), "example": presets.active().dossier_number_example}
        )
    if "kind" in values:
        kind = KINDS.get(values["kind"].lower() or "personne")
        if kind is None:
            reasons.append(_("Type must be « personne » or « organisation »."))
        values["kind"] = kind or DossierKind.PERSON
    kind = values.get("kind", DossierKind.PERSON)
    if kind == DossierKind.PERSON and not values.get("last_name"):
        reasons.append(_("The last name is missing for a person."))
    if kind == DossierKind.ORGANIZATION and not values.get("organization_name"):
        reasons.append(_("The organization name is missing."))
    if "birth_date" in values:
        try:
            values["birth_date"] = read_date(values["birth_date"]) if values["birth_date"] else None
        except DateReadError:
            reasons.append(
                _("Invalid birth date « %(value)s » (expected YYYY-MM-DD or DD/MM/YYYY).")
                % {"value": quoted(values["birth_date"])}
            )
            values["birth_date"] = None
        if values["birth_date"] and values["birth_date"] > timezone.localdate():
            reasons.append(_("The birth date is in the future."))
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            reasons.append(
                _("Invalid email address « %(value)s ».") % {"value": quoted(values["email"])}
            )
    if "language" in values:
        values["language"] = values["language"].lower() or "fr"
        if values["language"] not in LANGUAGES:
            reasons.append(_("Language must be « fr » or « en »."))
    for name in PHONES:
        if values.get(name):
            try:
                validate_phone(values[name])
                values[name] = normalize_phone(values[name])
            except ValidationError:
                reasons.append(
                    _("Invalid phone number « %(value)s ».") % {"value": quoted(values[name])}
                )
    for name in POSTAL_CODES:
        if values.get(name):
            try:
                validate_postal_code(values[name])
                values[name] = normalize_postal_code(values[name])
            except ValidationError:
                reasons.append(
                    _("Invalid postal code « %(value)s ».") % {"value": quoted(values[name])}
                )
    if "home_province" in values:
        values["home_province"] = values["home_province"].upper() or "QC"
        if values["home_province"] not in PROVINCES:
            reasons.append(
                _("Invalid province « %(value)s ».") % {"value": quoted(values["home_province"])}
            )
    if "is_resident" in values:
        answer = values["is_resident"].lower()
        if answer not in YES | NO:
            reasons.append(_("Resident must be « oui » or « non »."))
        values["is_resident"] = answer in YES
    legacy_hash = values.get("legacy_password_hash")
    if legacy_hash and not is_supported_hash(legacy_hash):
        reasons.append(_("Unsupported legacy password hash format."))
    for name, value in values.items():
        limit = MAX_LENGTHS.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            reasons.append(_("« %(column)s » is too long.") % {"column": _column_of(name)})
    return values, reasons


def _column_of(field_name: str) -> str:
    return next(column for column, name in COLUMNS.items() if name == field_name)

"""Phone numbers as guide 003 asks for them: a type (« Cellulaire », « Domicile »,
« Travail »), a territory and its prefix, the number; and « Ajouter un autre numéro de
téléphone ». A type names the file's column the number goes in. Only North American
numbers are taken (``dossiers.validators.validate_phone``): the territory and prefix are
shown as the guide shows them, with that one choice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_noop

from guichet.dossiers.models import Dossier

# column → the type's label (a msgid: translated where it is shown)
TYPES = {
    "mobile_phone": gettext_noop("Mobile"),
    "home_phone": gettext_noop("Residential"),
    "work_phone": gettext_noop("Business"),
}
NORTH_AMERICA = "north_america"


def current(dossier: Dossier) -> tuple[str, str]:
    """The main number on file and its type's column (the first type that has one)."""
    for column in TYPES:
        if number := getattr(dossier, column):
            return number, column
    return "", ""


def wanted(
    data: Mapping[str, Any], dossier: Dossier, *, main: str = "phone", other: str = "other_phone"
) -> dict[str, str]:
    """The file's phone columns a form asks to set: column → number. The main number
    without a type keeps the type it has on file (a cell phone when it has none)."""
    found: dict[str, str] = {}
    for name in (main, other):
        number = data.get(name) or ""
        column = data.get(f"{name}_type") or ""
        if name == main and number and not column:
            column = current(dossier)[1] or "mobile_phone"
        if column in TYPES and number:
            found[column] = number
    return found

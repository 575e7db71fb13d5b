"""The next dossier number, in the operator's format (e.g. CAOMSC's « 00875 »)."""

from __future__ import annotations

from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast

from guichet import presets
from guichet.dossiers.models import Dossier


def highest_number() -> int | None:
    """The highest all-digit dossier number; letters (imported oddities) are ignored."""
    result = (
        Dossier.objects.filter(number__regex=r"^[0-9]{1,18}$")  # fits a bigint
        .annotate(as_int=Cast("number", BigIntegerField()))
        .aggregate(highest=Max("as_int"))
    )
    return result["highest"]


def format_number(value: int) -> str:
    """Zero-padded to the example's width when the operator's numbers start with 0."""
    example = presets.active().dossier_number_example
    if example.startswith("0"):
        return str(value).zfill(len(example))
    return str(value)


def first_number() -> int:
    """Where numbering starts when no dossier exists: the example's width, never shorter."""
    example = presets.active().dossier_number_example
    if example.startswith("0"):
        return 1
    return 10 ** (len(example) - 1)


def next_number() -> str:
    highest = highest_number()
    return format_number(first_number() if highest is None else highest + 1)

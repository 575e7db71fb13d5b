"""More than dossiers in the import: sheets an upper app registers (from its
``AppConfig.ready``, as grant sources are), such as the organizations' « relations ».

An ``ExtraSheet`` names its sheet (an XLSX sheet of that title, after the first, which
holds the dossiers; or a CSV file of its own, recognized by its required columns), the
columns it reads, and ``apply``: given its rows (line number, cells by column) and the
dossier numbers the file's first sheet brings, it checks each row, writes the good ones
unless it is a dry run (idempotent, on the dossier numbers it names), and answers what it
did and every reason a row is refused, in French. ``dossiers`` knows nothing else of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SheetReport:
    created: int = 0
    updated: int = 0
    # (line, reason) for each refused row's reasons.
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ExtraSheet:
    name: str  # the sheet's title as the file names it (« relations »)
    columns: tuple[str, ...]
    required: tuple[str, ...]
    apply: Callable[[list[tuple[int, dict[str, str]]], set[str], bool], SheetReport]
    enabled: Callable[[], bool] = lambda: True  # e.g. only where the preset has its feature


_SHEETS: dict[str, ExtraSheet] = {}


def register_sheet(sheet: ExtraSheet) -> None:
    _SHEETS[sheet.name] = sheet


def sheet_named(name: str) -> ExtraSheet | None:
    sheet = _SHEETS.get(name)
    return sheet if sheet is not None and sheet.enabled() else None


def sheet_for_header(header: list[str]) -> ExtraSheet | None:
    """The sheet a CSV file is, by its columns: one without « numero » holding all of a
    registered sheet's required columns."""
    present = {column for column in header if column}
    if "numero" in present:
        return None
    for sheet in _SHEETS.values():
        if sheet.enabled() and set(sheet.required) <= present:
            return sheet
    return None

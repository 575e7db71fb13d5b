"""The cells of the back office's exports (CSV and XLSX): one guard against formula
injection, used by every export (rosters, accounting).

A spreadsheet runs a cell that starts with =, +, - or @ as a formula, and so does Excel
after a leading tab or carriage return: a name typed « =HYPERLINK(…) » on a public form
would become a link, or a command, on a staff member's computer (« CSV injection »). Every
text cell, the header's too, goes through ``cell``: such a text is written with a leading
apostrophe, which keeps it text. Numbers, amounts and dates are left as they are (a
refund's -14.98 is a number, not a formula), and openpyxl writes them as numbers and dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """The value as an export writes it: a text a spreadsheet would run is quoted."""
    if isinstance(value, Promise):  # a translated label
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(value) for value in values]

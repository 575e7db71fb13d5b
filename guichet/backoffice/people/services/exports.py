"""A roster's columns and its files: CSV, XLSX (openpyxl) and the printable PDF.

The operator picks the columns on the page (a preset list, all checked by default); the
answers to questions are columns only on the answers page, for the roles that read them.
Every cell goes through ``backoffice.spreadsheets.cell``: a participant's answer that a
spreadsheet would run as a formula is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook

from guichet.backoffice import spreadsheets
from guichet.backoffice.people.services.rosters import Roster, RosterRow
from guichet.core.money import format_money


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    value: Callable[[RosterRow], Any]


def _contacts(row: RosterRow) -> str:
    return " ; ".join(str(contact) for contact in row.contacts)


BASE_COLUMNS: tuple[Column, ...] = (
    Column("number", _("File number"), lambda row: row.participant.number),
    Column("last_name", _("Last name"), lambda row: row.participant.last_name),
    Column("first_name", _("First name"), lambda row: row.participant.first_name),
    Column("age", _("Age"), lambda row: row.age if row.age is not None else ""),
    Column("contacts", _("Contacts"), _contacts),
    Column("options", _("Options"), lambda row: ", ".join(row.options)),
    Column("status", _("Status"), lambda row: str(row.registration.get_status_display())),
    Column("amount", _("Amount"), lambda row: format_money(row.amount_due)),
    Column(
        "attended",
        _("Present"),
        lambda row: {True: _("Yes"), False: _("No"), None: ""}[row.registration.attended],
    ),
)


def columns(roster: Roster, *, with_answers: bool) -> list[Column]:
    found = list(BASE_COLUMNS)
    if with_answers:
        for index, question in enumerate(roster.questions):
            found.append(Column(f"q{question.pk}", question.label, _answer_at(index)))
    return found


def _answer_at(index: int) -> Callable[[RosterRow], Any]:
    def answer(row: RosterRow) -> Any:
        return row.answers[index]

    return answer


def chosen(available: Sequence[Column], keys: Iterable[str]) -> list[Column]:
    """The columns picked on the page, in the page's order; all of them if none is."""
    wanted = set(keys)
    picked = [column for column in available if column.key in wanted]
    return picked or list(available)


def _text(value: Any) -> Any:
    """A number stays a number; anything else (a file number, a status) is its text."""
    return value if isinstance(value, (int, float)) else str(value)


def _table(roster: Roster, picked: Sequence[Column]) -> Iterable[list[Any]]:
    yield spreadsheets.row([_("List"), *[column.label for column in picked]])
    lists = (
        (pgettext_lazy("roster", "Registered"), roster.participants),
        (_("Waiting list"), roster.waiting),
    )
    for label, rows in lists:
        for row in rows:
            yield spreadsheets.row([label, *[_text(column.value(row)) for column in picked]])


def filename(roster: Roster, extension: str) -> str:
    return f"{slugify(roster.offering.code or roster.offering.title)[:60] or 'liste'}.{extension}"


def csv_response(roster: Roster, picked: Sequence[Column]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(roster, "csv")}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    for line in _table(roster, picked):
        writer.writerow(line)
    return response


def xlsx_response(roster: Roster, picked: Sequence[Column]) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(_("Roster")))
    for line in _table(roster, picked):
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(roster, "xlsx")}"'
    return response

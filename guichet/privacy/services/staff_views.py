"""The register of staff views as the privacy officer reads it: who consulted whose file,
on which page, when (the events ``privacy.middleware`` records), searched by the person
viewed, the staff member and dates, and exported as CSV.

The staff member is read from the event's data (``viewed_by``), where it always is, even
when the operator does not name staff to the person (``Preset.staff_views_named``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.audit.models import Action, AuditEvent
from guichet.privacy import registry

# A spreadsheet runs a cell starting with one of these as a formula (OWASP « CSV
# injection »): a name typed by a person must never become one on staff's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Search:
    person: str = ""  # a file number, or words of the person's name
    staff: str = ""  # words of the staff member's name, or part of their email
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class View:
    """One line of the register."""

    occurred_at: datetime
    dossier: Any  # the file consulted (dossiers.Dossier: privacy sits beneath it)
    staff: Any  # the account, or None if it no longer exists
    what: str  # the page, in words
    role: str


def events(search: Search) -> QuerySet[AuditEvent]:
    """The staff views matching ``search``, most recent first; days are Montreal days,
    both included."""
    found = AuditEvent.objects.filter(action=Action.STAFF_VIEWED).select_related("dossier")
    if person := search.person.strip():
        found = found.filter(_people(person))
    if staff := search.staff.strip():
        found = found.filter(data__viewed_by__in=list(_staff(staff).values_list("pk", flat=True)))
    zone = timezone.get_current_timezone()
    if search.since:
        found = found.filter(occurred_at__gte=datetime.combine(search.since, time(), zone))
    if search.until:
        next_day = search.until + timedelta(days=1)
        found = found.filter(occurred_at__lt=datetime.combine(next_day, time(), zone))
    return found.order_by("-occurred_at", "-id")


def read(page: Iterable[AuditEvent]) -> list[View]:
    """The lines of one page, the staff members fetched at once."""
    page = list(page)
    ids = {event.data.get("viewed_by") for event in page if isinstance(event.data, dict)}
    accounts = get_user_model().objects.in_bulk([pk for pk in ids if isinstance(pk, int)])
    return [
        View(
            occurred_at=event.occurred_at,
            dossier=event.dossier,
            staff=accounts.get(event.data.get("viewed_by")),
            what=str(registry.what_label(str(event.data.get("what", "")))),
            role=event.get_role_display() if event.role else "",
        )
        for event in page
    ]


def csv_rows(search: Search, header: list[str]) -> Iterator[list[str]]:
    """The whole register matching ``search``, one line per view, for a CSV export."""
    yield header
    matching = events(search)
    for start in range(0, matching.count(), 500):
        for view in read(matching[start : start + 500]):
            yield [
                cell(timezone.localtime(view.occurred_at).isoformat(timespec="seconds")),
                cell(view.dossier.number if view.dossier else ""),
                cell(view.dossier.display_name if view.dossier else ""),
                cell(view.staff.get_full_name() if view.staff else ""),
                cell(view.staff.email if view.staff else ""),
                cell(view.what),
                cell(view.role),
            ]


class _Echo:
    """A file that hands back what is written: each CSV line streams as it is made."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheets read the accents
    for row in rows:
        yield writer.writerow(row)


def _people(text: str) -> Q:
    words = Q()
    for word in text.split():
        words &= Q(dossier__first_name__icontains=word) | Q(dossier__last_name__icontains=word)
    return Q(dossier__number=text) | words


def _staff(text: str) -> QuerySet[Any]:
    words = Q()
    for word in text.split():
        words &= (
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return get_user_model().objects.filter(is_staff=True).filter(words)

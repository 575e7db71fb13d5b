"""Dates as people type them and as they read them, in French and in English.

Reading: the forms Quebec people write are accepted — the ISO ``AAAA-MM-JJ``, the
guides' ``AAAA/MM/JJ`` (Baie-Comeau) and ``JJ/MM/AAAA`` (CAOMSC, and what French Excel
writes); ``-``, ``/`` and ``.`` separate the parts alike. A date whose year comes first is
always read year, month, day. A date whose year comes last is read **day first**, the
Quebec and French usage, even when both readings exist (``05/12/2015`` is 5 December):
the field says so beside it. When the day-first reading cannot be (``09/14/2015``) the
date was written month first, the American way: it is refused with the day-first form
to type, rather than silently read the other way round only sometimes. Two-digit years
are refused (which century?), and so are dates before 1900 or after 2100.

Writing: « 14 septembre 2015 » (« 1er septembre 2015 ») and « 14 h 30 » in French,
« September 14, 2015 » and « 14:30 » in English, in America/Montreal, in the language
active when called (emails and PDFs are rendered inside ``translation.override``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

_SEPARATOR = r"\s*[-/.]\s*"
_YEAR_FIRST = re.compile(rf"^(\d{{4}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{1,2}})$")
_YEAR_LAST = re.compile(rf"^(\d{{1,2}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{4}})$")


class DateReadError(ValueError):
    """The text is not a date; ``code`` says why, ``suggestion`` what to type instead."""

    def __init__(self, code: str, suggestion: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.suggestion = suggestion


def read_date(text: str) -> date:
    """The date a person meant, or :class:`DateReadError` (codes: ``invalid``,
    ``month_first``, ``impossible``, ``out_of_range``)."""
    text = text.strip()
    if match := _YEAR_FIRST.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _YEAR_LAST.match(text):
        day, month, year = (int(part) for part in match.groups())
        if month > 12 and day <= 12:
            raise DateReadError("month_first", f"{month:02d}/{day:02d}/{year}")
    else:
        raise DateReadError("invalid")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateReadError("out_of_range")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateReadError("impossible") from None


def _is_french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


def _as_local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def format_date(value: date | datetime | None) -> str:
    """« 14 septembre 2015 », « 1er mars 2016 »; « September 14, 2015 »."""
    if value is None:
        return ""
    day = _as_local_date(value)
    month = str(MONTHS[day.month])
    if _is_french():
        return f"{'1er' if day.day == 1 else day.day} {month.lower()} {day.year}"
    return f"{month.capitalize()} {day.day}, {day.year}"


def format_time(value: datetime | time | None) -> str:
    """« 14 h 30 », « 9 h » (the hour alone when it is exact); « 14:30 »."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if _is_french():
        if value.minute == 0:
            return f"{value.hour} h"
        return f"{value.hour} h {value.minute:02d}"
    return f"{value.hour}:{value.minute:02d}"


def format_moment(value: datetime | None) -> str:
    """« 14 septembre 2015 à 14 h 30 »; « September 14, 2015 at 14:30 »."""
    if value is None:
        return ""
    return _("%(date)s at %(time)s") % {"date": format_date(value), "time": format_time(value)}

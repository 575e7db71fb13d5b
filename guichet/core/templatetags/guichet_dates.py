"""The one way a template writes a date: ``{% load guichet_dates %}``, then
``{{ invoice.issued_at|day }}`` (« 14 septembre 2015 »), ``{{ until|clock }}``
(« 14 h 30 ») and ``{{ request.submitted_at|moment }}`` (« 14 septembre 2015 à 14 h 30 »),
in the language active when rendered and in America/Montreal. Django's ``|date`` and
``|time`` filters are kept for machine-read values only (``|date:'c'``)."""

from __future__ import annotations

from datetime import date, datetime, time

from django import template

from guichet.core import dates

register = template.Library()


@register.filter
def day(value: date | datetime | str | None) -> str:
    """A date; also the ``AAAA-MM-JJ`` text a document's snapshot keeps (the RL-24)."""
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text)
        except ValueError:
            return text
    return dates.format_date(value or None)


@register.filter
def clock(value: datetime | time | None) -> str:
    return dates.format_time(value or None)


@register.filter
def moment(value: datetime | None) -> str:
    return dates.format_moment(value or None)

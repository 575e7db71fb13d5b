"""Display helpers for the catalog: money, moments in Montreal time, spots left."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.catalog import eligibility
from guichet.catalog.models import Offering
from guichet.core.templatetags.guichet_money import money

register = template.Library()


# Core's, kept here under its old name for the templates that load this library.
register.filter("money", money)


@register.filter
def local_moment(moment: datetime | None) -> str:
    """« 1er décembre 2026 à 19 h », in America/Montreal (see guichet.core.dates)."""
    if moment is None:
        return ""
    day, clock = eligibility.local_date_and_time(moment)
    return _("%(date)s at %(time)s") % {"date": day, "time": clock}


@register.filter
def local_day(moment: datetime) -> str:
    return eligibility.local_date_and_time(moment)[0]


@register.filter
def local_clock(moment: datetime) -> str:
    """« 18 h 30 » in French, « 18:30 » in English, in America/Montreal."""
    return eligibility.local_date_and_time(moment)[1]


@register.filter
def spots_left_text(offering: Offering) -> str:
    left = offering.spots_left
    if left == 0:
        return _("Full — waiting list")
    return ngettext("%(n)s spot left", "%(n)s spots left", left) % {"n": left}


@register.filter
def localized(thing: Model, field: str = "title") -> str:
    """The English title, name or label when the page is in English and one was given."""
    value = getattr(thing, field)
    english = getattr(thing, f"{field}_en", "")
    if english and not (translation.get_language() or "fr").startswith("fr"):
        return english
    return value

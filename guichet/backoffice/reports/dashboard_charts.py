"""The staff home's charts, computed in the background rather than per request.

``refresh`` builds every chart the preset offers, in each language (SVG and the rows of the
table beside it: ``build``), and keeps them in Django's cache (Redis in production) with
the data's ``dashboard.version()`` and the moment they were computed. The Celery task
``backoffice.tasks.refresh_dashboard_charts`` runs it every ``CHARTS_FOR`` seconds (Celery
beat), and a visit that finds the data changed since (a new registration, invoice, credit
note, payment or offering) asks for it once more, so the page itself only reads the cache:
one cheap query for the version and one cache read, whatever the number of rows. Only the
first visit after the cache was emptied computes the charts during the request. Each
visitor gets the charts of the panels their roles open (``dashboard.PANELS``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import formats, timezone, translation
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from guichet import presets
from guichet.backoffice.reports.charts import Series, bar_chart
from guichet.backoffice.reports.services import dashboard
from guichet.backoffice.reports.services.dashboard import Panel
from guichet.core.money import format_money
from guichet.core.roles import Role

# The chart each panel draws (the other panels are counts, never cached).
CHARTS: dict[str, Panel] = {
    "opening": Panel.OPENING,
    "fill": Panel.FILL,
    "waiting": Panel.WAITING,
    "revenue": Panel.REVENUE,
    "unpaid": Panel.UNPAID,
}
KEPT_FOR = 24 * 3600  # seconds; the task replaces the figures long before
REFRESH_ASKED_FOR = 30  # seconds one visit's request for new figures holds off the next


def _count(value: Any) -> str:
    return formats.number_format(value)


def _percent(value: Any) -> str:
    return f"{value} %"


def build(panels: frozenset[Panel]) -> dict[str, Any]:
    """Each chart the visitor may see: its SVG and the rows of the table beside it."""
    charts: dict[str, Any] = {}
    if Panel.OPENING in panels and (opening := dashboard.latest_opening()):
        labels = [formats.date_format(day, "j F") for day, _count_ in opening.days]
        charts["opening"] = {
            "opening": opening,
            "rows": list(zip(labels, [count for _day, count in opening.days], strict=True)),
            "svg": bar_chart(
                chart_id="chart-opening",
                title=_("Registrations per day around the opening"),
                description=ngettext(
                    "%(count)s registration in these days; the numbers are in the table.",
                    "%(count)s registrations in these days; the numbers are in the table.",
                    opening.total,
                )
                % {"count": opening.total},
                labels=labels,
                series=[Series(_("Registrations"), [c for _d, c in opening.days])],
                show=_count,
            ),
        }
    if Panel.FILL in panels:
        offerings = dashboard.fill_by_offering()
        seasons = dashboard.fill_by_season()
        charts["fill"] = {
            "offerings": offerings,
            "seasons": seasons,
            "svg_offerings": bar_chart(
                chart_id="chart-fill-offerings",
                title=_("Fill rate of the offerings under way or to come"),
                description=_("Spots taken as a share of capacity; the numbers are in the table."),
                labels=[fill.label for fill in offerings],
                series=[Series(_("Fill rate"), [fill.percent for fill in offerings])],
                show=_percent,
                maximum=100,
            )
            if offerings
            else None,
            "svg_seasons": bar_chart(
                chart_id="chart-fill-seasons",
                title=_("Fill rate per season"),
                description=_("Spots taken as a share of capacity; the numbers are in the table."),
                labels=[fill.label for fill in seasons],
                series=[Series(_("Fill rate"), [fill.percent for fill in seasons])],
                show=_percent,
                maximum=100,
            )
            if seasons
            else None,
        }
    if Panel.WAITING in panels:
        lists, total = dashboard.waiting_lists()
        charts["waiting"] = {
            "lists": lists,
            "total": total,
            "svg": bar_chart(
                chart_id="chart-waiting",
                title=_("Longest waiting lists"),
                description=_("People waiting per offering; the numbers are in the table."),
                labels=[each.label for each in lists],
                series=[Series(_("People waiting"), [each.count for each in lists])],
                show=_count,
            )
            if lists
            else None,
        }
    if Panel.REVENUE in panels:
        months = dashboard.revenue_by_month()
        offerings_revenue = dashboard.revenue_by_offering()
        month_labels = [formats.date_format(each.month, "F Y") for each in months]
        charts["revenue"] = {
            "months": list(zip(month_labels, months, strict=True)),
            "offerings": offerings_revenue,
            "svg_months": bar_chart(
                chart_id="chart-revenue-months",
                title=_("Revenue per month"),
                description=_(
                    "Billed (net of credit notes) and received (net of refunds), taxes "
                    "included; the numbers are in the table."
                ),
                labels=month_labels,
                series=[
                    Series(pgettext("revenue", "Billed"), [each.billed for each in months]),
                    Series(pgettext("revenue", "Received"), [each.received for each in months]),
                ],
                show=format_money,
            ),
            "svg_offerings": bar_chart(
                chart_id="chart-revenue-offerings",
                title=_("Revenue per offering, last twelve months"),
                description=_(
                    "Billed net of credit notes, taxes included; the numbers are in the table."
                ),
                labels=[each.label for each in offerings_revenue],
                series=[
                    Series(
                        pgettext("revenue", "Billed"), [each.billed for each in offerings_revenue]
                    )
                ],
                show=format_money,
            )
            if offerings_revenue
            else None,
        }
    if Panel.UNPAID in panels:
        ages = dashboard.unpaid_by_age()
        charts["unpaid"] = {
            "ages": ages,
            "svg": bar_chart(
                chart_id="chart-unpaid",
                title=_("Unpaid balances by age"),
                description=_(
                    "Amount still owed by the invoice's age; the numbers are in the table."
                ),
                labels=[age.label for age in ages],
                series=[Series(pgettext("revenue", "Owed"), [age.owed for age in ages])],
                show=format_money,
            ),
        }
    return charts


def _key(language: str) -> str:
    return f"backoffice:charts:{presets.active().slug}:{language}"


REFRESH_LOCK = "backoffice:charts:refresh-asked"


def refresh(version: str | None = None) -> None:
    """Compute every chart the active preset offers, in each language, and cache them."""
    version = version or dashboard.version()
    panels = dashboard.panels_for(frozenset(str(role) for role in Role))
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            figures = {"at": timezone.now(), "version": version, "charts": build(panels)}
        cache.set(_key(language), figures, KEPT_FOR)
    cache.delete(REFRESH_LOCK)


def charts_for(panels: frozenset[Panel], *, ask_refresh: Callable[[], Any]) -> dict[str, Any]:
    """The cached charts of ``panels`` in the page's language, with ``at`` (when they were
    computed). Data changed since: ``ask_refresh`` (the view passes the task's ``delay``)
    is called once per ``REFRESH_ASKED_FOR``; with no broker the task runs at once."""
    version = dashboard.version()
    key = _key(get_language() or settings.LANGUAGE_CODE)
    found = cache.get(key)
    if found is None:
        refresh()
        found = cache.get(key) or {"at": timezone.now(), "charts": build(panels)}
    elif found["version"] != version and cache.add(REFRESH_LOCK, version, REFRESH_ASKED_FOR):
        ask_refresh()
        found = cache.get(key) or found  # already new when the task ran in-process
    charts = {name: chart for name, chart in found["charts"].items() if CHARTS[name] in panels}
    return {"at": found["at"], **charts}

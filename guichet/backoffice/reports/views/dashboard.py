"""The staff home (« Personnel »): what needs doing today, the charts, and the staff's tools,
each shown only to the roles that may open it (core's /personnel/ sends staff here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _

from guichet import presets
from guichet.backoffice.reports.charts import Series, bar_chart
from guichet.backoffice.reports.services import dashboard
from guichet.backoffice.reports.services.dashboard import Panel
from guichet.core.money import format_money
from guichet.core.roles import Role
from guichet.core.staff import role_required, roles_of
from guichet.presets import Feature


@dataclass(frozen=True)
class Link:
    url_name: str
    label: Promise
    roles: tuple[Role, ...]
    feature: Feature | None = None
    group: str = "todo"  # « À traiter » or « Dossiers et traces » (« data »)
    perm: str = ""  # a Django permission the page also asks for


# The staff's tools (those core/staff.html listed), each for the roles that use it.
LINKS = (
    Link("requests:queue", gettext_lazy("Requests to review"), (Role.REGISTRAR,)),
    Link(
        "memberships:queue",
        gettext_lazy("Membership applications to review"),
        (Role.REGISTRAR,),
        Feature.MEMBERSHIPS,
    ),
    Link(
        "dossiers:staff_issue_code",
        gettext_lazy("Issue a linking code"),
        (Role.COUNTER, Role.REGISTRAR),
    ),
    Link(
        "backoffice:counter",
        gettext_lazy("Front desk: find a person"),
        (Role.REGISTRAR, Role.COUNTER),
        Feature.CATALOG,
    ),
    Link(
        "backoffice:rosters",
        gettext_lazy("Rosters and attendance"),
        (Role.REGISTRAR, Role.COUNTER, Role.ANIMATION),
        Feature.CATALOG,
    ),
    Link(
        "registrations:attendance_index",
        gettext_lazy("Training attendance"),
        (Role.REGISTRAR,),
    ),
    Link(
        "credentials:staff_index",
        gettext_lazy("Attestations"),
        (Role.REGISTRAR,),
        Feature.MEMBERSHIPS,
    ),
    Link(
        "billing:staff_payments",
        gettext_lazy("Payments to record"),
        (Role.ACCOUNTING,),
        Feature.BILLING,
    ),
    Link(
        "backoffice:offering_list",
        gettext_lazy("Offerings"),
        (Role.REGISTRAR,),
        Feature.CATALOG,
    ),
    Link(
        "organizations:staff_queue",
        gettext_lazy("Organizations' forms to review"),
        (Role.REGISTRAR,),
        Feature.ORGANIZATIONS,
    ),
    Link(
        "dossiers:staff_delegations",
        gettext_lazy("Super-users (delegations)"),
        (Role.ADMINISTRATION,),
        Feature.DELEGATES,
    ),
    Link(
        "backoffice:accounting",
        gettext_lazy("Accounting exports and tax returns"),
        (Role.ACCOUNTING,),
        Feature.BILLING,
        "data",
    ),
    Link(
        "backoffice:newsletters",
        gettext_lazy("Newsletters"),
        (Role.ADMINISTRATION,),
        None,
        "data",
    ),
    Link(
        "dossiers:staff_import", gettext_lazy("Import files"), (Role.ADMINISTRATION,), None, "data"
    ),
    Link(
        "billing:rl24_staff",
        gettext_lazy("Relevé 24 slips"),
        (Role.ACCOUNTING,),
        Feature.TAX_SLIPS,
        "data",
    ),
    Link(
        "audit:journal",
        gettext_lazy("Audit trail"),
        (Role.ADMINISTRATION, Role.PRIVACY),
        None,
        "data",
    ),
    Link(
        "privacy:staff_index",
        gettext_lazy("Privacy: account closures and incident register"),
        (Role.PRIVACY,),
        None,
        "data",
    ),
    Link("backoffice:roles", gettext_lazy("Staff and roles"), (Role.ADMINISTRATION,), None, "data"),
    Link("api:staff", gettext_lazy("API and webhooks"), (Role.ADMINISTRATION,), None, "data"),
    Link(
        "admin:index",
        gettext_lazy("Administration (settings, lists, interests)"),
        (Role.ADMINISTRATION,),
        None,
        "data",
    ),
)


def links_for(user: Any, roles: frozenset[str], group: str) -> list[Link]:
    operator = presets.active()
    return [
        link
        for link in LINKS
        if link.group == group
        and not roles.isdisjoint(link.roles)
        and (link.feature is None or operator.has(link.feature))
        and (not link.perm or user.has_perm(link.perm))
    ]


def _count(value: Any) -> str:
    return formats.number_format(value)


def _percent(value: Any) -> str:
    return f"{value} %"


def _charts(panels: frozenset[Panel]) -> dict[str, Any]:
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


def charts_for(panels: frozenset[Panel]) -> dict[str, Any]:
    """The charts, computed once for everyone who sees the same panels in the same
    language until the data changes (``dashboard.version``) or ``CHARTS_FOR`` passes."""
    key = ":".join(
        [
            "backoffice:charts",
            presets.active().slug,
            get_language() or "",
            ",".join(sorted(panels)),
            dashboard.version(),
        ]
    )

    def compute() -> dict[str, Any]:
        return {"at": timezone.now(), **_charts(panels)}

    found: dict[str, Any] = cache.get_or_set(key, compute, dashboard.CHARTS_FOR)
    return found


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    panels = dashboard.panels_for(roles)
    charts = charts_for(panels)
    context = {
        "todos": dashboard.todos(panels),
        "charts": {key: value for key, value in charts.items() if key != "at"},
        "charts_at": charts["at"],
        "todo_links": links_for(request.user, roles, "todo"),
        "data_links": links_for(request.user, roles, "data"),
    }
    return render(request, "backoffice/reports/home.html", context)

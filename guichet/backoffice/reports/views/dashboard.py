"""The staff home (« Personnel »): what needs doing today, the charts, and the staff's tools,
each shown only to the roles that may open it (core's /personnel/ sends staff here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from guichet import presets
from guichet.backoffice.reports import dashboard_charts
from guichet.backoffice.reports.services import dashboard
from guichet.backoffice.tasks import refresh_dashboard_charts
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


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    panels = dashboard.panels_for(roles)
    charts = dashboard_charts.charts_for(panels, ask_refresh=refresh_dashboard_charts.delay)
    context = {
        "todos": dashboard.todos(panels),
        "charts": {key: value for key, value in charts.items() if key != "at"},
        "charts_at": charts["at"],
        "todo_links": links_for(request.user, roles, "todo"),
        "data_links": links_for(request.user, roles, "data"),
    }
    return render(request, "backoffice/reports/home.html", context)

"""What the staff home shows: what needs doing today, and the figures behind its charts.

Every figure is an aggregate computed by the database (COUNT, SUM, GROUP BY), so the page
reads the same number of queries with ten registrations or a million. Each panel names
the roles that may see it (``PANELS``); the view asks only for those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from guichet import presets
from guichet.billing.models import CreditNote, Invoice, Payment
from guichet.catalog.models import Offering
from guichet.core.money import ZERO
from guichet.core.roles import Role
from guichet.dossiers.models import GuardianRequest
from guichet.memberships.models import Application, ApplicationStatus
from guichet.organizations.models import Submission, SubmissionStatus
from guichet.presets import Feature
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.requests.models import Request

MONEY: DecimalField[Decimal | int | str, Decimal] = DecimalField(max_digits=14, decimal_places=2)
DAYS_BEFORE_OPENING = 2
DAYS_AFTER_OPENING = 12
OFFERINGS_SHOWN = 12
WAITING_LISTS_SHOWN = 10
REVENUE_MONTHS = 12
SEASONS_SHOWN = 4


class Panel(StrEnum):
    REQUESTS = "requests"
    APPLICATIONS = "applications"
    PAYMENTS = "payments"
    OFFERS = "offers"
    SUBMISSIONS = "submissions"
    OPENING = "opening"
    FILL = "fill"
    WAITING = "waiting"
    REVENUE = "revenue"
    UNPAID = "unpaid"


# Who sees which panel (Administration and superusers see them all: core.staff.roles_of).
PANELS: dict[Panel, tuple[Role, ...]] = {
    Panel.REQUESTS: (Role.REGISTRAR,),
    Panel.APPLICATIONS: (Role.REGISTRAR,),
    Panel.PAYMENTS: (Role.ACCOUNTING,),
    Panel.OFFERS: (Role.REGISTRAR, Role.COUNTER),
    Panel.SUBMISSIONS: (Role.REGISTRAR,),
    Panel.OPENING: (Role.REGISTRAR, Role.COUNTER),
    Panel.FILL: (Role.REGISTRAR, Role.COUNTER),
    Panel.WAITING: (Role.REGISTRAR, Role.COUNTER),
    Panel.REVENUE: (Role.ACCOUNTING,),
    Panel.UNPAID: (Role.ACCOUNTING,),
}
# The preset's feature a panel needs (no count of what the operator does not have).
NEEDS: dict[Panel, Feature] = {
    Panel.APPLICATIONS: Feature.MEMBERSHIPS,
    Panel.PAYMENTS: Feature.BILLING,
    Panel.OFFERS: Feature.CATALOG,
    Panel.SUBMISSIONS: Feature.SERVICE_CATALOG,
    Panel.OPENING: Feature.CATALOG,
    Panel.FILL: Feature.CATALOG,
    Panel.WAITING: Feature.CATALOG,
    Panel.REVENUE: Feature.BILLING,
    Panel.UNPAID: Feature.BILLING,
}


CHARTS_FOR = 120  # seconds a chart's figures are kept (``version`` changes them sooner)


def version() -> str:
    """What the charts' figures depend on, in one cheap query (the newest row of each
    table they add up, read from the primary keys' indexes): the cache key changes as
    soon as someone registers, is invoiced, credited or pays; a change of status without
    a new row shows within ``CHARTS_FOR`` seconds."""
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for model in (Registration, Invoice, CreditNote, Payment, Offering)
    ]
    select = ", ".join(f"(SELECT max(id) FROM {table})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)


def panels_for(roles: frozenset[str]) -> frozenset[Panel]:
    """The panels a holder of ``roles`` sees under the active preset."""
    operator = presets.active()
    return frozenset(
        panel
        for panel, allowed in PANELS.items()
        if not roles.isdisjoint(allowed) and (panel not in NEEDS or operator.has(NEEDS[panel]))
    )


# What needs doing today --------------------------------------------------------------
@dataclass(frozen=True)
class Todo:
    panel: Panel
    label: str
    count: int
    url_name: str


def todos(panels: frozenset[Panel], now: datetime | None = None) -> list[Todo]:
    """One count per queue the visitor may open: one query each."""
    now = now or timezone.now()
    found: list[Todo] = []
    if Panel.REQUESTS in panels:
        count = Request.objects.pending().count() + GuardianRequest.objects.pending().count()
        found.append(Todo(Panel.REQUESTS, _("Requests to review"), count, "requests:queue"))
    if Panel.APPLICATIONS in panels:
        count = Application.objects.filter(status=ApplicationStatus.SUBMITTED).count()
        found.append(
            Todo(
                Panel.APPLICATIONS,
                _("Membership applications to review"),
                count,
                "memberships:queue",
            )
        )
    if Panel.PAYMENTS in panels:
        count = (
            Invoice.objects.filter(
                (Q(total__gt=F("amount_paid") + F("amount_credited")) & ~Q(offline_method=""))
                | Q(total__lt=F("amount_paid") + F("amount_credited"))
            )
        ).count()
        found.append(
            Todo(
                Panel.PAYMENTS, _("Payments and refunds to record"), count, "billing:staff_payments"
            )
        )
    if Panel.OFFERS in panels:
        count = Registration.objects.filter(
            status=RegistrationStatus.OFFERED,
            offer_expires_at__gte=now,
            offer_expires_at__lt=now + timedelta(hours=24),
        ).count()
        found.append(
            Todo(
                Panel.OFFERS,
                _("Waiting-list offers expiring within 24 hours"),
                count,
                "",
            )
        )
    if Panel.SUBMISSIONS in panels:
        count = Submission.objects.filter(status=SubmissionStatus.IN_REVIEW).count()
        found.append(Todo(Panel.SUBMISSIONS, _("Organization forms being processed"), count, ""))
    return found


# Registrations per day around an opening ---------------------------------------------
@dataclass(frozen=True)
class Opening:
    opens_at: datetime
    days: list[tuple[date, int]]

    @property
    def total(self) -> int:
        return sum(count for _day, count in self.days)


def latest_opening(now: datetime | None = None) -> Opening | None:
    """The last opening that drew registrations, and how many came each day around it
    (up to today)."""
    now = now or timezone.now()
    opens_at = (
        Offering.objects.filter(registration_opens_at__lte=now)
        .filter(Exists(Registration.objects.filter(offering=OuterRef("pk"))))
        .aggregate(at=Max("registration_opens_at"))["at"]
    )
    if opens_at is None:
        return None
    opening_day = timezone.localtime(opens_at).date()
    first = opening_day - timedelta(days=DAYS_BEFORE_OPENING)
    last = min(opening_day + timedelta(days=DAYS_AFTER_OPENING), timezone.localtime(now).date())
    counted = dict(
        Registration.objects.filter(
            offering__registration_opens_at__date=opening_day,
            created_at__date__gte=first,
            created_at__date__lte=last,
        )
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return Opening(opens_at, [(day, counted.get(day, 0)) for day in days])


# Fill rate per offering and per season -----------------------------------------------
@dataclass(frozen=True)
class Fill:
    label: str
    taken: int
    capacity: int

    @property
    def percent(self) -> int:
        return round(100 * self.taken / self.capacity) if self.capacity else 0


SEASON = Case(
    When(month__lte=3, then=Value(1)),
    When(month__lte=6, then=Value(2)),
    When(month__lte=8, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)


def season_name(year: int, season: int) -> str:
    names = {
        1: pgettext("season", "Winter"),
        2: pgettext("season", "Spring"),
        3: pgettext("season", "Summer"),
        4: pgettext("season", "Autumn"),
    }
    return f"{names[season]} {year}"


def fill_by_offering(today: date | None = None) -> list[Fill]:
    """The offerings under way or to come, soonest first: spots taken over capacity."""
    today = today or timezone.localdate()
    rows = (
        Offering.objects.filter(ends_on__gte=today, capacity__gt=0)
        .order_by("starts_on", "title", "pk")
        .values_list("title", "spots_taken", "capacity")[:OFFERINGS_SHOWN]
    )
    return [Fill(title, taken, capacity) for title, taken, capacity in rows]


def fill_by_season(today: date | None = None) -> list[Fill]:
    """The last seasons begun (and the next one): every offering's spots added up."""
    today = today or timezone.localdate()
    rows = (
        Offering.objects.filter(capacity__gt=0, starts_on__lte=today + timedelta(days=120))
        .annotate(year=ExtractYear("starts_on"), month=ExtractMonth("starts_on"))
        .annotate(season=SEASON)
        .values("year", "season")
        .annotate(taken=Sum("spots_taken"), capacity=Sum("capacity"))
        .order_by("-year", "-season")
        .values_list("year", "season", "taken", "capacity")[:SEASONS_SHOWN]
    )
    return [
        Fill(season_name(year, season), taken, capacity)
        for year, season, taken, capacity in reversed(list(rows))
    ]


# Waiting lists -------------------------------------------------------------------------
@dataclass(frozen=True)
class Waiting:
    label: str
    count: int


def waiting_lists() -> tuple[list[Waiting], int]:
    """The longest waiting lists, and how many wait in all (two queries)."""
    rows = list(
        Registration.objects.filter(status=RegistrationStatus.WAITING)
        .values("offering_id", "offering__title")
        .annotate(count=Count("id"))
        .order_by("-count", "offering__title")
        .values_list("offering__title", "count")[:WAITING_LISTS_SHOWN]
    )
    total = Registration.objects.filter(status=RegistrationStatus.WAITING).count()
    return [Waiting(title, count) for title, count in rows], total


# Revenue -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Month:
    month: date
    billed: Decimal
    received: Decimal


def months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _n in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def revenue_by_month(today: date | None = None) -> list[Month]:
    """Per month: billed (invoices less credit notes, taxes included) and received
    (payments less refunds). Three grouped sums."""
    today = today or timezone.localdate()
    months = months_back(today, REVENUE_MONTHS)
    since = months[0]
    moment = datetime.combine(since, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    invoiced = dict(
        Invoice.objects.filter(issued_at__gte=moment)
        .annotate(month=TruncMonth("issued_at"))
        .values("month")
        .annotate(sum=Sum("total"))
        .values_list("month", "sum")
    )
    credited = dict(
        CreditNote.objects.filter(issued_at__gte=moment)
        .annotate(month=TruncMonth("issued_at"))
        .values("month")
        .annotate(sum=Sum("total"))
        .values_list("month", "sum")
    )
    received = dict(
        Payment.objects.filter(received_on__gte=since)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(sum=Sum("amount"))
        .values_list("month", "sum")
    )

    def on(sums: dict[object, Decimal], month: date) -> Decimal:
        for key, value in sums.items():
            day = key.date() if isinstance(key, datetime) else key
            if day == month:
                return value or ZERO
        return ZERO

    return [
        Month(month, on(invoiced, month) - on(credited, month), on(received, month))
        for month in months
    ]


@dataclass(frozen=True)
class OfferingRevenue:
    label: str
    billed: Decimal


def revenue_by_offering(today: date | None = None) -> list[OfferingRevenue]:
    """The offerings that billed the most over the last twelve months, net of credit."""
    today = today or timezone.localdate()
    since = months_back(today, REVENUE_MONTHS)[0]
    moment = datetime.combine(since, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    rows = (
        Invoice.objects.filter(issued_at__gte=moment, registration__isnull=False)
        .values("registration__offering_id", "registration__offering__title")
        .annotate(
            billed=Sum(ExpressionWrapper(F("total") - F("amount_credited"), output_field=MONEY))
        )
        .order_by("-billed", "registration__offering__title")
        .values_list("registration__offering__title", "billed")[:OFFERINGS_SHOWN]
    )
    return [OfferingRevenue(title, billed) for title, billed in rows]


# Unpaid balances by age --------------------------------------------------------------
@dataclass(frozen=True)
class Age:
    label: str
    count: int
    owed: Decimal


def unpaid_by_age(now: datetime | None = None) -> list[Age]:
    """What is still owed, by the invoice's age: 0–30, 31–60, 61–90, over 90 days."""
    now = now or timezone.now()
    owed = ExpressionWrapper(F("total") - F("amount_credited") - F("amount_paid"), MONEY)
    limits = [now - timedelta(days=days) for days in (30, 60, 90)]
    buckets = {
        "a": Q(issued_at__gt=limits[0]),
        "b": Q(issued_at__lte=limits[0], issued_at__gt=limits[1]),
        "c": Q(issued_at__lte=limits[1], issued_at__gt=limits[2]),
        "d": Q(issued_at__lte=limits[2]),
    }
    sums = Invoice.objects.open().aggregate(
        **{f"n{key}": Count("id", filter=where) for key, where in buckets.items()},
        **{
            f"s{key}": Coalesce(Sum(owed, filter=where), Value(ZERO), output_field=MONEY)
            for key, where in buckets.items()
        },
    )
    labels = {
        "a": _("0 to 30 days"),
        "b": _("31 to 60 days"),
        "c": _("61 to 90 days"),
        "d": _("Over 90 days"),
    }
    return [Age(labels[key], sums[f"n{key}"], sums[f"s{key}"]) for key in buckets]

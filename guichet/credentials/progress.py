"""Progress toward obtaining and keeping a title, read from the trainings a person attended.

A training counts once it is *completed*: a confirmed registration staff marked
``attended``, to a training that has ended (its ``ends_on`` is the day it counts). Its
``hours`` (the catalog's « heures (crédits de formation) ») count toward the hours, and its
code toward a required course (``RequiredCourse.code`` is a prefix). Obtaining asks for
every required course and the hours within ``obtain_within_years`` ending on one day;
keeping the title asks for ``maintenance_hours`` in each cycle of ``cycle_years`` counted
from the day it was awarded.

Reads only: registrations' and catalog's models, never their tables' writers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from guichet.catalog.models import Offering, OfferingKind
from guichet.credentials import membership
from guichet.credentials.models import CredentialProgram, RequiredCourse, TitleAward
from guichet.dossiers.models import Dossier
from guichet.registrations.models import Registration, RegistrationStatus

SUGGESTIONS = 5


@dataclass(frozen=True)
class Completed:
    """One completed training, as the rules read it."""

    registration_id: int
    title: str
    code: str
    completed_on: datetime.date
    hours: Decimal


@dataclass(frozen=True)
class CourseProgress:
    course: RequiredCourse
    done: Completed | None  # the latest completion within the window


@dataclass(frozen=True)
class Maintenance:
    cycle_starts_on: datetime.date
    cycle_ends_on: datetime.date
    hours: Decimal
    required: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.hours, Decimal("0"))

    @property
    def percent(self) -> int:
        return percent(self.hours, self.required)


@dataclass
class Progress:
    program: CredentialProgram
    day: datetime.date
    window_starts_on: datetime.date
    completed: list[Completed]
    courses: list[CourseProgress]
    hours: Decimal  # within the window
    is_member: bool
    award: TitleAward | None
    maintenance: Maintenance | None
    suggestions: list[Offering] = field(default_factory=list)

    @property
    def hours_missing(self) -> Decimal:
        return max(self.program.hours_to_obtain - self.hours, Decimal("0"))

    @property
    def courses_missing(self) -> list[RequiredCourse]:
        return [line.course for line in self.courses if line.done is None]

    @property
    def membership_missing(self) -> bool:
        return self.program.requires_membership and not self.is_member

    @property
    def requirements_met(self) -> bool:
        return not self.hours_missing and not self.courses_missing

    @property
    def percent(self) -> int:
        """Share of the way: hours and required courses, weighed alike."""
        parts = [percent(self.hours, self.program.hours_to_obtain)]
        if self.courses:
            done = sum(1 for line in self.courses if line.done is not None)
            parts.append(round(100 * done / len(self.courses)))
        return round(sum(parts) / len(parts))


def percent(value: Decimal, of: Decimal) -> int:
    if of <= 0:
        return 100
    return min(100, int(100 * value / of))


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def completed_trainings(dossier: Dossier, day: datetime.date) -> list[Completed]:
    """The trainings the person completed by ``day``, oldest first (one query)."""
    rows = (
        Registration.objects.filter(
            participant=dossier,
            status=RegistrationStatus.CONFIRMED,
            attended=True,
            offering__kind=OfferingKind.TRAINING,
            offering__ends_on__lte=day,
        )
        .order_by("offering__ends_on", "pk")
        .values_list(
            "pk", "offering__title", "offering__code", "offering__ends_on", "offering__hours"
        )
    )
    return [
        Completed(pk, title, code or "", ends_on, hours or Decimal("0"))
        for pk, title, code, ends_on, hours in rows
    ]


def matches(course: RequiredCourse, code: str) -> bool:
    return bool(course.code) and code.upper().startswith(course.code.upper())


def standing_on(
    program: CredentialProgram,
    courses: list[RequiredCourse],
    completed: list[Completed],
    day: datetime.date,
) -> tuple[datetime.date, Decimal, list[CourseProgress]]:
    """The window ending on ``day``, its hours and each required course's completion."""
    since = years_before(day, program.obtain_within_years)
    within = [c for c in completed if since < c.completed_on <= day]
    hours = sum((c.hours for c in within), Decimal("0"))
    lines = []
    for course in courses:
        done = [c for c in within if matches(course, c.code)]
        lines.append(CourseProgress(course, done[-1] if done else None))
    return since, hours, lines


def earned_on(
    program: CredentialProgram, courses: list[RequiredCourse], completed: list[Completed]
) -> datetime.date | None:
    """The first day the requirements were all met (a completion day), or None."""
    for candidate in sorted({c.completed_on for c in completed}):
        _since, hours, lines = standing_on(program, courses, completed, candidate)
        if hours >= program.hours_to_obtain and all(line.done for line in lines):
            return candidate
    return None


def maintenance_of(
    program: CredentialProgram, award: TitleAward, completed: list[Completed], day: datetime.date
) -> Maintenance:
    """The cycle running on ``day`` (cycles start on the day the title was awarded)."""
    start = award.awarded_on
    end = years_after(start, program.cycle_years)
    while end <= day:
        start, end = end, years_after(end, program.cycle_years)
    hours = sum((c.hours for c in completed if start < c.completed_on <= day), Decimal("0"))
    return Maintenance(start, end, hours, program.maintenance_hours)


def suggestions_for(
    dossier: Dossier, courses: list[RequiredCourse], day: datetime.date, *, hours_wanted: bool
) -> list[Offering]:
    """Upcoming published trainings that would count: a missing required course first,
    then any training with hours, leaving out those the person is registered to."""
    already = Registration.objects.filter(
        offering=OuterRef("pk"), participant=dossier, status__in=RegistrationStatus.LIVE
    )
    upcoming = (
        Offering.objects.published()
        .filter(kind=OfferingKind.TRAINING, starts_on__gt=day)
        .exclude(Exists(already))
        .order_by("starts_on", "title")
    )
    wanted = [course.code.upper() for course in courses]
    found: list[Offering] = []
    for offering in upcoming[:50]:
        code = (offering.code or "").upper()
        counts_for_course = any(code.startswith(prefix) for prefix in wanted if prefix)
        if counts_for_course or (hours_wanted and offering.hours):
            found.append(offering)
    found.sort(key=lambda o: not any((o.code or "").upper().startswith(p) for p in wanted if p))
    return found[:SUGGESTIONS]


def progress(program: CredentialProgram, dossier: Dossier, day: datetime.date) -> Progress:
    """Where the person stands on ``day``: toward obtaining the title, or keeping it."""
    courses = list(program.required_courses.all())
    completed = completed_trainings(dossier, day)
    since, hours, lines = standing_on(program, courses, completed, day)
    award = TitleAward.objects.filter(program=program, dossier=dossier).first()
    maintenance = maintenance_of(program, award, completed, day) if award else None
    if award is None:
        missing_courses = [line.course for line in lines if line.done is None]
        hours_wanted = hours < program.hours_to_obtain
    else:
        missing_courses = []
        hours_wanted = maintenance is not None and maintenance.missing > 0
    return Progress(
        program=program,
        day=day,
        window_starts_on=since,
        completed=completed,
        courses=lines,
        hours=hours,
        is_member=membership.is_member(dossier, day),
        award=award,
        maintenance=maintenance,
        suggestions=suggestions_for(dossier, missing_courses, day, hours_wanted=hours_wanted),
    )

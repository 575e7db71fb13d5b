"""Demo offerings for Val-des-Érables: trainings, a congress and recreation activities.

An operator's demo has the offerings of the kinds its catalog holds (the preset's
``offering_kinds``): a city's activities, an association's trainings and events, a
conference. ``load()`` is idempotent by slug, like the rest of the demo: each offering is
created or put back in its demo state (dates counted from today). One activity opens its
registration five minutes after the load, so a person can watch the page open.
Spots already taken are left alone once an offering exists: they move only through the
registrations services (the full activity is created full on purpose).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet import presets
from guichet.catalog.models import (
    Offering,
    OfferingKind,
    Option,
    OptionKind,
    Question,
    QuestionKind,
    Session,
)


@dataclass
class DemoOffering:
    slug: str
    values: dict[str, Any]
    # (day offset from starts_on, start, end) of each session
    sessions: list[tuple[int, time, time]] = field(default_factory=list)
    options: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    spots_taken_at_creation: int = 0


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def on_weekday(day: date, weekday: int) -> dict[str, date]:
    """An eight-week season starting on the first ``weekday`` (0 = Monday) from ``day``."""
    first = day + timedelta(days=(weekday - day.weekday()) % 7)
    return {"starts_on": first, "ends_on": first + timedelta(days=49)}


def weekly(count: int, start: time, end: time) -> list[tuple[int, time, time]]:
    return [(7 * week, start, end) for week in range(count)]


def offerings(now: datetime) -> list[DemoOffering]:
    today = timezone.localtime(now).date()
    opened = at_local(today - timedelta(days=7), 19)
    training_day = today + timedelta(days=30)
    congress_day = today + timedelta(days=150)
    season = today + timedelta(days=21)
    # Opens five minutes from now, on the minute, so the countdown ends on a round time.
    soon = (now + timedelta(minutes=5)).replace(second=0, microsecond=0)
    common = {
        "published": True,
        "registration_opens_at": opened,
        "registration_closes_at": at_local(season - timedelta(days=2), 23, 59),
        "change_deadline": at_local(season - timedelta(days=7), 23, 59),
    }
    activity = {
        **common,
        "kind": OfferingKind.ACTIVITY,
        "starts_on": season,
        "ends_on": season + timedelta(days=49),
        "tax_exempt": True,
    }
    return [
        DemoOffering(
            "gestion-contractuelle-municipale",
            {
                **common,
                "kind": OfferingKind.TRAINING,
                "title": "La gestion contractuelle municipale",
                "title_en": "Municipal contract management",
                "code": "FOR-2027-03",
                "summary": "Deux jours pour maîtriser les règles d'adjudication des contrats.",
                "description": (
                    "Seuils d'appel d'offres, règlement de gestion contractuelle, "
                    "octroi de gré à gré et reddition de comptes : une formation pratique "
                    "animée par une avocate en droit municipal.\n\n"
                    "Formation reconnue pour 12 heures dans le cheminement vers le titre OMA."
                ),
                "place": "Hôtel de ville de Val-des-Érables, salle du conseil",
                "starts_on": training_day,
                "ends_on": training_day + timedelta(days=1),
                "schedule": "9 h 00 à 16 h 00",
                "hours": Decimal("12.0"),
                "capacity": 30,
                "member_price": Decimal("395.00"),
                "non_member_price": Decimal("525.00"),
                "registration_closes_at": at_local(training_day - timedelta(days=3), 23, 59),
                "change_deadline": at_local(training_day - timedelta(days=10), 23, 59),
            },
            sessions=[(0, time(9), time(16)), (1, time(9), time(16))],
            questions=[{"label": "Restrictions alimentaires", "label_en": "Dietary restrictions"}],
        ),
        DemoOffering(
            "loi-25-atelier-des-membres",
            {
                **common,
                "kind": OfferingKind.TRAINING,
                "title": "Loi 25 : atelier réservé aux membres",
                "title_en": "Law 25: members' workshop",
                "summary": "Protection des renseignements personnels dans les municipalités.",
                "description": "Un atelier de trois heures, en ligne, réservé aux membres.",
                "place": "En ligne (Teams)",
                "starts_on": training_day + timedelta(days=7),
                "ends_on": training_day + timedelta(days=7),
                "schedule": "13 h 00 à 16 h 00",
                "hours": Decimal("3.0"),
                "capacity": 100,
                "member_price": Decimal("95.00"),
                "non_member_price": Decimal("95.00"),
                "members_only": True,
            },
            sessions=[(0, time(13), time(16))],
        ),
        DemoOffering(
            "congres-annuel-2027",
            {
                **common,
                "kind": OfferingKind.EVENT,
                "title": "Congrès annuel 2027",
                "title_en": "2027 Annual Congress",
                "code": "CONG-2027",
                "summary": "Trois jours de conférences, d'ateliers et de rencontres.",
                "description": (
                    "Le rendez-vous annuel des élues, des élus et des gestionnaires "
                    "municipaux : conférences, ateliers, salon des exposants et soirée gala.\n\n"
                    "Une facture individuelle est produite pour chaque inscription."
                ),
                "place": "Centre des congrès de Québec",
                "starts_on": congress_day,
                "ends_on": congress_day + timedelta(days=2),
                "schedule": "8 h 30 à 17 h 00",
                "capacity": 800,
                "member_price": Decimal("695.00"),
                "non_member_price": Decimal("895.00"),
                "registration_closes_at": at_local(congress_day - timedelta(days=14), 23, 59),
                "change_deadline": at_local(congress_day - timedelta(days=30), 23, 59),
                "one_per_person": True,
            },
            sessions=[(day, time(8, 30), time(17)) for day in range(3)],
            options=[
                {
                    "name": "Soirée gala",
                    "name_en": "Gala evening",
                    "price": Decimal("150.00"),
                    "capacity": 600,
                    "position": 1,
                },
                {
                    "name": "Accompagnateur au gala",
                    "name_en": "Gala companion",
                    "kind": OptionKind.COMPANION,
                    "price": Decimal("175.00"),
                    "capacity": 200,
                    "card_only": True,
                    "position": 2,
                },
            ],
            questions=[
                {
                    "label": "Restrictions alimentaires",
                    "label_en": "Dietary restrictions",
                    "position": 1,
                },
                {
                    "label": "Atelier choisi le deuxième jour",
                    "label_en": "Workshop on day two",
                    "kind": QuestionKind.CHOICE,
                    "required": True,
                    "position": 2,
                    "choices": ["Finances municipales", "Développement durable", "Sécurité civile"],
                },
                {
                    "label": "Participerez-vous à la visite industrielle ?",
                    "label_en": "Will you join the industrial tour?",
                    "kind": QuestionKind.YES_NO,
                    "position": 3,
                },
            ],
        ),
        DemoOffering(
            "natation-etoile-de-mer",
            {
                **activity,
                **on_weekday(season, 5),
                "title": "Natation — niveau Étoile de mer (6 à 8 ans)",
                "title_en": "Swimming — Sea Star level (ages 6 to 8)",
                "summary": "Apprendre à flotter, à glisser et à respirer dans l'eau.",
                "description": "Huit cours de 45 minutes avec une monitrice certifiée.",
                "place": "Piscine Henry-Leonard",
                "schedule": "samedis 9 h 00 à 9 h 45",
                "capacity": 12,
                "member_price": Decimal("65.00"),
                "non_member_price": Decimal("95.00"),
                "min_age": 6,
                "max_age": 8,
                "residents_first_until": opened + timedelta(days=14),
                "household_cap": 3,
            },
            sessions=weekly(8, time(9), time(9, 45)),
        ),
        DemoOffering(
            "hockey-cosom-9-12-ans",
            {
                **activity,
                **on_weekday(season, 1),
                "title": "Hockey cosom 9-12 ans",
                "title_en": "Floor hockey, ages 9 to 12",
                "summary": "Hockey en gymnase, bâtons et balles fournis.",
                "place": "Gymnase de l'école Boisvert",
                "schedule": "mardis 18 h 30 à 19 h 30",
                "capacity": 20,
                "member_price": Decimal("45.00"),
                "non_member_price": Decimal("70.00"),
                "min_age": 9,
                "max_age": 12,
            },
            sessions=weekly(8, time(18, 30), time(19, 30)),
            spots_taken_at_creation=17,
        ),
        DemoOffering(
            "yoga-pour-adultes",
            {
                **activity,
                **on_weekday(season, 3),
                "title": "Yoga pour adultes",
                "title_en": "Yoga for adults",
                "summary": "Hatha yoga doux, tous niveaux. Apportez votre tapis.",
                "place": "Centre communautaire des Érables",
                "schedule": "jeudis 19 h 00 à 20 h 15",
                "capacity": 15,
                "member_price": Decimal("90.00"),
                "non_member_price": Decimal("120.00"),
                "min_age": 18,
            },
            sessions=weekly(8, time(19), time(20, 15)),
        ),
        DemoOffering(
            "patinage-initiation-5-7-ans",
            {
                **activity,
                **on_weekday(season, 6),
                "title": "Patinage — initiation (5 à 7 ans)",
                "title_en": "Skating — first steps (ages 5 to 7)",
                "summary": "Premiers coups de patin, casque obligatoire.",
                "place": "Aréna Jean-Guy-Talbot",
                "schedule": "dimanches 10 h 00 à 10 h 50",
                "capacity": 10,
                "member_price": Decimal("55.00"),
                "non_member_price": Decimal("80.00"),
                "min_age": 5,
                "max_age": 7,
            },
            sessions=weekly(8, time(10), time(10, 50)),
            spots_taken_at_creation=10,  # full: shows « Complet — liste d'attente »
        ),
        DemoOffering(
            "camp-de-jour-relache",
            {
                **activity,
                "title": "Camp de jour — semaine de relâche (5 à 12 ans)",
                "title_en": "Day camp — spring break week (ages 5 to 12)",
                "summary": "Cinq jours de jeux, de sorties et de bricolage.",
                "description": "Service de garde inclus de 7 h 30 à 17 h 30.",
                "place": "Centre communautaire des Érables",
                "schedule": "lundi au vendredi, 9 h 00 à 16 h 00",
                "starts_on": on_weekday(season, 0)["starts_on"],
                "ends_on": on_weekday(season, 0)["starts_on"] + timedelta(days=4),
                "capacity": 40,
                "member_price": Decimal("120.00"),
                "non_member_price": Decimal("160.00"),
                "min_age": 5,
                "max_age": 12,
                "childcare_eligible": True,
                "registration_opens_at": soon,
                "household_cap": 4,
            },
            sessions=[(day, time(9), time(16)) for day in range(5)],
        ),
    ]


@transaction.atomic
def load(
    now: datetime | None = None, *, kinds: Collection[str] | None = None
) -> list[tuple[str, str]]:
    """Create or refresh the demo offerings of ``kinds`` (by default, the kinds the active
    preset's catalog holds); the lines ``load_demo`` prints."""
    moment = now or timezone.now()
    wanted = presets.active().offering_kinds if kinds is None else kinds
    loaded = [ensure(spec) for spec in offerings(moment) if spec.values["kind"] in wanted]
    published = "1 offre publiée" if len(loaded) == 1 else f"{len(loaded)} offres publiées"
    lines = [("Catalogue", f"/catalogue/ ({published})")]
    watch = next((o for o in loaded if o.slug == "camp-de-jour-relache"), None)
    if watch is not None:
        opens = timezone.localtime(watch.registration_opens_at)
        lines.append(
            (
                "Ouverture à surveiller",
                f"« {watch.title} » ouvre à {opens:%H} h {opens:%M} (/catalogue/{watch.slug}/)",
            )
        )
    return lines


def ensure(spec: DemoOffering) -> Offering:
    offering, _ = Offering.objects.update_or_create(
        slug=spec.slug,
        defaults=spec.values,
        create_defaults={**spec.values, "spots_taken": spec.spots_taken_at_creation},
    )
    offering.sessions.all().delete()
    Session.objects.bulk_create(
        Session(
            offering=offering,
            starts_at=at_local(
                offering.starts_on + timedelta(days=offset), start.hour, start.minute
            ),
            ends_at=at_local(offering.starts_on + timedelta(days=offset), end.hour, end.minute),
        )
        for offset, start, end in spec.sessions
    )
    for values in spec.options:
        Option.objects.update_or_create(offering=offering, name=values["name"], defaults=values)
    for values in spec.questions:
        Question.objects.update_or_create(offering=offering, label=values["label"], defaults=values)
    return offering

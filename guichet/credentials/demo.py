"""The demo of titles, attestations and the members directory, where the operator has a
title (COMAQ's OMA).

Marie Tremblay is halfway to the OMA title: two of its three required courses, taken last
year and this spring (22.5 h of the 45 h), registered and paid through the real services
and marked attended by staff, which issued their attendance attestations; she holds a
membership attestation too. The third required course is in the catalog, among the
trainings that would count. Four members appear in the directory, each showing what they
chose. Idempotent like the rest of the demo: what exists is left as it is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guichet import presets
from guichet.billing.models import PaymentMethod
from guichet.billing.services.ledger import record_payment
from guichet.catalog.demo import DemoOffering, at_local
from guichet.catalog.demo import ensure as ensure_offering
from guichet.catalog.models import Offering, OfferingKind
from guichet.credentials.membership import MembershipFacts
from guichet.credentials.models import DirectoryListing
from guichet.credentials.services import attestations
from guichet.credentials.services.directory import update_listing
from guichet.dossiers.demo import DEMO_TOWN, DemoDossier, end_of_next_year, ensure_dossier
from guichet.dossiers.models import Dossier, DossierLink, Function, LinkRole
from guichet.dossiers.services import profile as profiles
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.registrations.services.attendance import mark_attendance
from guichet.registrations.services.register import ToRegister, confirm, submit_cart

MARIE_NUMBER = "104523"


@dataclass(frozen=True)
class PastCourse:
    slug: str
    code: str
    title: str
    title_en: str
    hours: str
    ended_days_ago: int


# Marie's two completed required courses.
PAST = (
    PastCourse(
        "oma-101-role-de-l-officier-municipal",
        "OMA-101-A",
        "Le rôle de l'officier municipal",
        "The municipal officer's role",
        "12.0",
        320,
    ),
    PastCourse(
        "oma-102-gestion-budgetaire-municipale",
        "OMA-102-A",
        "Gestion budgétaire municipale",
        "Municipal budget management",
        "10.5",
        75,
    ),
)
NEXT_COURSE = DemoOffering(
    "oma-103-ethique-et-deontologie",
    {
        "kind": OfferingKind.TRAINING,
        "title": "Éthique et déontologie municipales",
        "title_en": "Municipal ethics",
        "code": "OMA-103-B",
        "summary": "Cours obligatoire du cheminement vers le titre OMA.",
        "description": "Les règles d'éthique et de déontologie des officiers municipaux.",
        "place": "En ligne (Teams)",
        "schedule": "9 h 00 à 16 h 00",
        "hours": Decimal("7.0"),
        "capacity": 40,
        "member_price": Decimal("245.00"),
        "non_member_price": Decimal("325.00"),
        "published": True,
    },
    sessions=[(0, time(9), time(16))],
)


@dataclass(frozen=True)
class DemoMember:
    spec: DemoDossier
    region: str
    employer: str
    function: str
    expertise: str = ""
    orders: str = ""
    linkedin: str = ""
    shown: tuple[str, ...] = ()


MEMBERS = (
    DemoMember(
        DemoDossier("104801", "Nathalie", "Fortin", date(1975, 4, 3), "nathalie.fortin@exemple.ca"),
        "03",
        "Ville de Lévis",
        "Greffière",
        "Gestion contractuelle, accès à l'information",
        "Barreau du Québec",
        "https://www.linkedin.com/in/nathalie-fortin-exemple",
        ("employer", "expertise", "professional_orders", "linkedin"),
    ),
    DemoMember(
        DemoDossier("104802", "Karim", "Benali", date(1982, 9, 17), "karim.benali@exemple.ca"),
        "06",
        "Arrondissement de Verdun",
        "Directeur des finances",
        "Budget, fiscalité municipale",
        "Ordre des CPA du Québec",
        shown=("employer", "expertise"),
    ),
    DemoMember(
        DemoDossier(
            "104803", "Geneviève", "Ouellet", date(1988, 1, 25), "genevieve.ouellet@exemple.ca"
        ),
        "01",
        "Municipalité de Sainte-Luce",
        "Directrice générale",
        "Urbanisme, gestion des eaux",
        shown=("employer", "expertise"),
    ),
    DemoMember(
        DemoDossier(
            "104804", "Pierre-Luc", "Gauthier", date(1969, 6, 8), "pierre-luc.gauthier@exemple.ca"
        ),
        "09",
        "Ville de Sept-Îles",
        "Trésorier",
        linkedin="https://www.linkedin.com/in/pierre-luc-gauthier-exemple",
        shown=("linkedin",),
    ),
)


@transaction.atomic
def load(now: datetime | None = None) -> list[tuple[str, str]]:
    """Marie halfway to the title, her attestations, and the directory's members."""
    operator = presets.active()
    if operator.title_rules is None or not operator.offers("training"):
        return []
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    marie_link = (
        DossierLink.objects.active()
        .filter(dossier__number=MARIE_NUMBER, role=LinkRole.HOLDER)
        .select_related("account", "dossier")
        .first()
    )
    lines: list[tuple[str, str]] = []
    ensure_offering(_next_course(today, moment))
    if marie_link is not None:
        marie, dossier = marie_link.account, marie_link.dossier
        for course in PAST:
            _completed(marie, dossier, course, today, moment)
        if dossier.member_until is not None:
            attestations.issue_for_membership(
                dossier,
                MembershipFacts("Membre régulier", date(today.year, 1, 1), dossier.member_until),
            )
        lines.append(
            (
                f"Titre {operator.title_rules.title} (Marie Tremblay)",
                "à mi-chemin : /mon-dossier/titre-et-attestations/",
            )
        )
    for member in MEMBERS:
        _directory_member(member, today)
    lines.append(("Répertoire des membres", f"/repertoire/ ({len(MEMBERS)} membres inscrits)"))
    return lines


def _next_course(today: date, moment: datetime) -> DemoOffering:
    starts = today + timedelta(days=45)
    values = {
        **NEXT_COURSE.values,
        "starts_on": starts,
        "ends_on": starts,
        "registration_opens_at": moment - timedelta(days=7),
        "registration_closes_at": at_local(starts - timedelta(days=3), 23, 59),
        "change_deadline": at_local(starts - timedelta(days=10), 23, 59),
    }
    return DemoOffering(NEXT_COURSE.slug, values, sessions=NEXT_COURSE.sessions)


def _completed(marie, dossier: Dossier, course: PastCourse, today: date, moment: datetime) -> None:
    """A past required course Marie took, paid and attended, through the real services:
    registration is opened for the moment of registering, then closed as it was."""
    ends = today - timedelta(days=course.ended_days_ago)
    starts = ends - timedelta(days=1)
    values = {
        "kind": OfferingKind.TRAINING,
        "title": course.title,
        "title_en": course.title_en,
        "code": course.code,
        "summary": "Cours obligatoire du cheminement vers le titre OMA.",
        "place": "Québec",
        "schedule": "9 h 00 à 16 h 00",
        "starts_on": starts,
        "ends_on": ends,
        "hours": Decimal(course.hours),
        "capacity": 30,
        "member_price": Decimal("295.00"),
        "non_member_price": Decimal("395.00"),
        "published": True,
        "registration_opens_at": at_local(starts - timedelta(days=60), 9),
        "registration_closes_at": at_local(starts - timedelta(days=3), 23, 59),
        "change_deadline": at_local(starts - timedelta(days=10), 23, 59),
    }
    spec = DemoOffering(
        course.slug, values, sessions=[(0, time(9), time(16)), (1, time(9), time(16))]
    )
    offering = ensure_offering(spec)
    if Registration.objects.filter(offering=offering, participant=dossier).exists():
        return
    Offering.objects.filter(pk=offering.pk).update(
        registration_opens_at=moment - timedelta(minutes=1),
        registration_closes_at=moment + timedelta(minutes=5),
    )
    offering.refresh_from_db()
    result = submit_cart(
        actor=marie,
        lines=[ToRegister(offering, dossier, {}, {})],
        idempotency_key=uuid.uuid4().hex,
    )
    pk = result["lines"][0]["registration"]
    if pk is not None:
        registration = confirm(Registration.objects.get(pk=pk), actor=marie)
        if registration.status == RegistrationStatus.PENDING_PAYMENT:
            invoice = registration.invoices.get()
            record_payment(
                invoice,
                amount=invoice.total,
                method=PaymentMethod.CARD,
                provider_reference=f"demo_{uuid.uuid4().hex}",
            )
            registration.refresh_from_db()
        if registration.status == RegistrationStatus.CONFIRMED:
            # Staff mark the attendance: the attestation follows (credentials' receiver).
            mark_attendance(offering, [registration.pk], actor=None)
    Offering.objects.filter(pk=offering.pk).update(
        registration_opens_at=values["registration_opens_at"],
        registration_closes_at=values["registration_closes_at"],
    )


def _directory_member(member: DemoMember, today: date) -> None:
    dossier = ensure_dossier(member.spec, DEMO_TOWN, member_until=end_of_next_year())
    if not Function.objects.filter(dossier=dossier).exists():
        profiles.add_function(
            dossier,
            title=member.function,
            employer=member.employer,
            street="",
            city="",
            province="QC",
            postal_code="",
            started_on=date(today.year - 3, 9, 1),
            actor=None,
        )
    profiles.update_card(
        dossier,
        {
            "expertise": member.expertise,
            "professional_orders": member.orders,
            "linkedin_url": member.linkedin,
        },
        actor=None,
    )
    if not DirectoryListing.objects.filter(dossier=dossier).exists():
        update_listing(
            dossier,
            listed=True,
            choices={
                "region": member.region,
                **{
                    field: field.removeprefix("show_") in member.shown
                    for field in DirectoryListing.SHOWN_FIELDS
                },
            },
            actor=None,
        )

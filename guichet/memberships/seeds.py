"""The member types each preset's operator starts with (staff change them in the admin).

COMAQ's guide names three: « membre régulier », « membre retraité », « membre étudiant ».
``ensure_member_types`` is idempotent on the code (``slug``); the demo calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from guichet.memberships.models import MemberType, Period
from guichet.presets import Feature, Preset


@dataclass(frozen=True)
class SeedType:
    slug: str
    name: str
    name_en: str
    fee: Decimal
    conditions: str
    conditions_en: str
    requires_hiring_resolution: bool = True
    requires_diploma: bool = False
    period: str = Period.CALENDAR


COMAQ = (
    SeedType(
        "membre-regulier",
        "Membre régulier",
        "Regular member",
        Decimal("395.00"),
        "Officier municipal en fonction dans une municipalité du Québec.",
        "Municipal officer working for a Quebec municipality.",
        requires_diploma=True,
    ),
    SeedType(
        "membre-retraite",
        "Membre retraité",
        "Retired member",
        Decimal("95.00"),
        "Ancien officier municipal à la retraite.",
        "Retired municipal officer.",
        requires_hiring_resolution=False,
    ),
    SeedType(
        "membre-etudiant",
        "Membre étudiant",
        "Student member",
        Decimal("45.00"),
        "Étudiant inscrit à un programme en administration municipale.",
        "Student enrolled in a municipal administration program.",
        requires_hiring_resolution=False,
        requires_diploma=True,
        period=Period.ANNIVERSARY,
    ),
)

# Any other operator with memberships (the demo, CAOMSC) starts with the same three.
BY_PRESET: dict[str, tuple[SeedType, ...]] = {}


def seed_for(preset: Preset) -> tuple[SeedType, ...]:
    if not preset.has(Feature.MEMBERSHIPS):
        return ()
    return BY_PRESET.get(preset.slug, COMAQ)


def ensure_member_types(preset: Preset) -> list[MemberType]:
    made = []
    for position, seed in enumerate(seed_for(preset)):
        member_type, _created = MemberType.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "name": seed.name,
                "name_en": seed.name_en,
                "fee": seed.fee,
                "conditions": seed.conditions,
                "conditions_en": seed.conditions_en,
                "requires_hiring_resolution": seed.requires_hiring_resolution,
                "requires_diploma": seed.requires_diploma,
                "period": seed.period,
                "active": True,
                "position": position,
            },
        )
        made.append(member_type)
    return made

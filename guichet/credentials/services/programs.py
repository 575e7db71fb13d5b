"""The operator's title program: seeded from its preset once, then edited in the admin."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from guichet import presets
from guichet.credentials.models import CredentialProgram, RequiredCourse
from guichet.presets import TitleRules


def current_program() -> CredentialProgram | None:
    """The active preset's title program, seeded from the preset the first time."""
    rules = presets.active().title_rules
    if rules is None:
        return None
    program = CredentialProgram.objects.filter(slug=rules.slug).first()
    if program is None:
        program = ensure_program(rules)
    return program if program.active else None


def ensure_program(rules: TitleRules) -> CredentialProgram:
    """Create the program from the preset's rules, unless it exists (staff's edits stay)."""
    try:
        with transaction.atomic():
            program, created = CredentialProgram.objects.get_or_create(
                slug=rules.slug,
                defaults={
                    "title": rules.title,
                    "name": rules.name,
                    "name_en": rules.name_en,
                    "hours_to_obtain": Decimal(rules.hours_to_obtain),
                    "obtain_within_years": rules.obtain_within_years,
                    "maintenance_hours": Decimal(rules.maintenance_hours),
                    "cycle_years": rules.cycle_years,
                    "requires_membership": rules.requires_membership,
                },
            )
            if created:
                RequiredCourse.objects.bulk_create(
                    RequiredCourse(
                        program=program,
                        code=course.code,
                        name=course.name,
                        name_en=course.name_en,
                        position=position,
                    )
                    for position, course in enumerate(rules.required_courses)
                )
    except IntegrityError:  # another request seeded it first
        program = CredentialProgram.objects.get(slug=rules.slug)
    return program

"""The operator's authorized subjects, seeded once per preset that has organizations;
staff edit them in the admin afterwards (seeding never overwrites an existing row)."""

from __future__ import annotations

from typing import Any

from guichet import presets
from guichet.dossiers.grants import Subject
from guichet.organizations.models import AuthorizedSubject
from guichet.presets import Feature

# CCQ's list (guide 003): code, French, English, the permissions API's subject.
DEFAULT_SUBJECTS: tuple[tuple[str, str, str, str], ...] = (
    ("donnees", "Accès aux données", "Data access", "data_access"),
    ("paiements", "Paiements et relevés", "Payments and statements", Subject.BILLING),
    (
        "plaintes",
        "Plaintes de cotisations syndicales",
        "Union dues complaints",
        "union_dues_complaints",
    ),
    ("profil", "Profil", "Profile", Subject.PROFILE),
    ("rapport-mensuel", "Rapport mensuel", "Monthly report", "monthly_report"),
    ("scrutin", "Scrutin syndical", "Union vote", "union_vote"),
)


def seed() -> None:
    for order, (code, name_fr, name_en, opens) in enumerate(DEFAULT_SUBJECTS, start=1):
        AuthorizedSubject.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "grants": str(opens),
                "order": order * 10,
            },
        )


def seed_after_migrate(**kwargs: Any) -> None:
    if presets.active().has(Feature.ORGANIZATIONS):
        seed()

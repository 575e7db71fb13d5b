"""Demo dossiers: one to try each linking method, and Marie Tremblay's family.

``load()`` is idempotent like ``guichet.core.demo.load()``, which calls it after the demo
accounts exist: each dossier is found by its number and put back in its demo state
(legacy credentials restored, locks and attempts cleared, try-out dossiers unlinked), so
every method can be tried again after ``make demo``. It returns the lines to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import bcrypt
from django.db import transaction

from guichet.accounts.models import Account
from guichet.dossiers.legacy import verify_legacy_password
from guichet.dossiers.models import Dossier, DossierLink, LinkAttempt, LinkingCode, LinkMethod

# Published on purpose, like the demo password: the README lists it.
LEGACY_USERNAME = "lbouchard"
LEGACY_PASSWORD = "Ancien-acces-2019"  # noqa: S105


@dataclass(frozen=True)
class DemoDossier:
    number: str
    first_name: str
    last_name: str
    birth_date: date
    email: str = ""
    postal_code: str = "G4Z 1A1"
    city: str = "Val-des-Érables"
    legacy: bool = False


# Linked at load time: Marie holds her dossier and is guardian of her two children.
MARIE = DemoDossier("104523", "Marie", "Tremblay", date(1984, 5, 12), "marie.tremblay@exemple.ca")
MARIE_CHILDREN = (
    DemoDossier("104524", "Léa", "Tremblay", date(2015, 9, 14)),
    DemoDossier("104525", "Thomas", "Tremblay", date(2018, 1, 30)),
)
# Left unlinked so that each method can be tried.
BY_NUMBER = DemoDossier(
    "104601", "Jean-François", "Gagnon", date(1979, 11, 3), "jean-francois.gagnon@exemple.ca"
)
GAGNON_CHILD = DemoDossier("104602", "Émile", "Gagnon", date(2017, 6, 21))
BY_MEMBER_IDENTITY = DemoDossier(
    "00875", "Sophie", "Côté", date(1990, 2, 20), "sophie.cote@exemple.ca", "G5C 1A1", "Baie-Comeau"
)
BY_LEGACY = DemoDossier(
    "204650", "Luc", "Bouchard", date(1972, 8, 8), "luc.bouchard@exemple.ca", legacy=True
)
BY_CODE = DemoDossier(
    "304677", "Gabriel", "Pelletier", date(1995, 12, 1), "gabriel.pelletier@exemple.ca"
)
TRY_OUT = (BY_NUMBER, GAGNON_CHILD, BY_MEMBER_IDENTITY, BY_LEGACY, BY_CODE)


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Create or refresh the demo dossiers; the (label, value) lines to show."""
    marie = ensure_dossier(MARIE)
    children = [ensure_dossier(spec) for spec in MARIE_CHILDREN]
    try_out = [ensure_dossier(spec) for spec in TRY_OUT]
    DossierLink.objects.filter(dossier__in=try_out).delete()
    account = Account.objects.filter(email__iexact=MARIE.email).first()
    if account is not None:
        ensure_link(account, marie, "holder")
        for child in children:
            ensure_link(account, child, "guardian")
    return [
        ("Marie Tremblay : dossier lié, tutrice de Léa et Thomas", "104523, 104524, 104525"),
        ("Numéro de dossier + date de naissance (Jean-François Gagnon)", "104601 — 1979/11/03"),
        ("Membre de la famille à ajouter (Émile Gagnon)", "104602 — 2017/06/21"),
        ("Matricule CAOMSC (Sophie Côté)", "00875 — Côté — 1990/02/20 — G5C 1A1"),
        ("Anciens accès CCQ (Luc Bouchard)", f"{LEGACY_USERNAME} / {LEGACY_PASSWORD}"),
        ("Code de liaison : le personnel l'émet pour le dossier", "304677 (Gabriel Pelletier)"),
    ]


def ensure_dossier(spec: DemoDossier) -> Dossier:
    defaults: dict[str, Any] = {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "birth_date": spec.birth_date,
        "email": spec.email,
        "home_street": "25, rue des Érables",
        "home_city": spec.city,
        "home_province": "QC",
        "home_postal_code": spec.postal_code,
        "language": "fr",
        "linking_locked_until": None,
    }
    dossier, _created = Dossier.objects.update_or_create(number=spec.number, defaults=defaults)
    if spec.legacy and not verify_legacy_password(dossier.legacy_password_hash, LEGACY_PASSWORD):
        # Hashed at load time, as the old system stored it (bcrypt); erased once linked.
        hashed = bcrypt.hashpw(LEGACY_PASSWORD.encode(), bcrypt.gensalt(rounds=10)).decode()
        dossier.legacy_username = LEGACY_USERNAME
        dossier.legacy_password_hash = hashed
        dossier.save(update_fields=["legacy_username", "legacy_password_hash"])
    LinkAttempt.objects.filter(dossier=dossier).delete()
    LinkingCode.objects.filter(dossier=dossier).delete()
    return dossier


def ensure_link(account: Account, dossier: Dossier, role: str) -> None:
    DossierLink.objects.filter(dossier=dossier, ended_at__isnull=True).exclude(
        account=account
    ).delete()
    DossierLink.objects.update_or_create(
        account=account,
        dossier=dossier,
        ended_at=None,
        defaults={"role": role, "method": LinkMethod.STAFF},
    )

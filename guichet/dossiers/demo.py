"""Demo dossiers: Marie Tremblay's, linked, and one to try each linking method the
operator offers.

Which dossiers the demo has follows the operator's preset: Marie's children where there
are households, a dossier to link by number and birth date, by matricule, by former
credentials or by a linking code where the preset allows that method, a super-user and a
person to register where there are delegates. The families live in the operator's town
and are residents there; where the operator serves members, Marie and the people who link
by matricule are members (Jean-François is a participant who is not).

``load()`` is idempotent like ``guichet.demo.loading.load()``, which calls it after the demo
accounts exist: each dossier is found by its number and put back in its demo state
(legacy credentials restored, locks and attempts cleared, try-out dossiers unlinked), so
every method can be tried again after ``make demo``. It returns the lines to print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import bcrypt
from django.db import transaction
from django.utils import timezone

from guichet import presets
from guichet.accounts.models import Account
from guichet.dossiers.legacy import verify_legacy_password
from guichet.dossiers.models import (
    Delegation,
    Dossier,
    DossierLink,
    LinkAttempt,
    LinkingCode,
    LinkMethod,
    LinkRole,
)
from guichet.presets import Feature, LinkingMethod, Preset

# Published on purpose, like the demo password: the README lists it.
LEGACY_USERNAME = "lbouchard"
LEGACY_PASSWORD = "Ancien-acces-2019"  # noqa: S105
DELEGATION_NOTE = "Démo : responsable des inscriptions au congrès"


@dataclass(frozen=True)
class Town:
    city: str
    postal_code: str


# The town the demo families live in: the operator's own where it is a city.
DEMO_TOWN = Town("Val-des-Érables", "G4Z 1A1")
TOWNS = {"baie-comeau": Town("Baie-Comeau", "G4Z 1A1")}


@dataclass(frozen=True)
class DemoDossier:
    number: str
    first_name: str
    last_name: str
    birth_date: date
    email: str = ""
    postal_code: str = ""  # empty: the town's
    city: str = ""  # empty: the demo town
    legacy: bool = False
    resident: bool = False
    member: bool = False  # where the operator serves members
    # The number where the operator's numbers are five-digit matricules (CAOMSC).
    matricule: str = ""


# Linked at load time: Marie holds her dossier and, with households, is guardian of her
# two children.
MARIE = DemoDossier(
    "104523",
    "Marie",
    "Tremblay",
    date(1984, 5, 12),
    "marie.tremblay@exemple.ca",
    resident=True,
    member=True,
    matricule="33163",
)
MARIE_CHILDREN = (
    DemoDossier("104524", "Léa", "Tremblay", date(2015, 9, 14), resident=True),
    DemoDossier("104525", "Thomas", "Tremblay", date(2018, 1, 30), resident=True),
)
# Left unlinked so that each method can be tried.
BY_NUMBER = DemoDossier(
    "104601",
    "Jean-François",
    "Gagnon",
    date(1979, 11, 3),
    "jean-francois.gagnon@exemple.ca",
    resident=True,
)
GAGNON_CHILD = DemoDossier("104602", "Émile", "Gagnon", date(2017, 6, 21), resident=True)
BY_MEMBER_IDENTITY = DemoDossier(
    "00875",
    "Sophie",
    "Côté",
    date(1990, 2, 20),
    "sophie.cote@exemple.ca",
    "G5C 1A1",
    "Baie-Comeau",
    member=True,
)
# No account yet: « Première visite ? Créer votre accès » starts from the matricule.
FIRST_VISIT = DemoDossier(
    "01234",
    "Réjean",
    "Lévesque",
    date(1968, 4, 2),
    "rejean.levesque@exemple.ca",
    "G5H 2B2",
    "Matane",
    member=True,
)
BY_LEGACY = DemoDossier(
    "204650", "Luc", "Bouchard", date(1972, 8, 8), "luc.bouchard@exemple.ca", legacy=True
)
BY_CODE = DemoDossier(
    "304677", "Gabriel", "Pelletier", date(1995, 12, 1), "gabriel.pelletier@exemple.ca"
)
# With delegates (UMQ): a super-user, and a person with an account for her to register.
SUPER_USER = DemoDossier("104710", "Isabelle", "Roy", date(1976, 3, 9), "isabelle.roy@exemple.ca")
TO_REGISTER = DemoDossier(
    "104711", "Gaston", "Bélanger", date(1958, 10, 27), "gaston.belanger@exemple.ca"
)


@transaction.atomic
def load(operator: Preset | None = None) -> list[tuple[str, str]]:
    """Create or refresh the operator's demo dossiers; the (label, value) lines to show."""
    operator = operator or presets.active()
    town = TOWNS.get(operator.slug, DEMO_TOWN)
    members_until = end_of_next_year() if operator.serves_members else None

    def ensure(spec: DemoDossier) -> Dossier:
        member_until = members_until if spec.member else None
        return ensure_dossier(fitting(spec, operator), town, member_until=member_until)

    lines: list[tuple[str, str]] = []
    marie = ensure(MARIE)
    link_account(MARIE.email, marie, LinkRole.HOLDER)
    if operator.has(Feature.HOUSEHOLDS):
        for child in MARIE_CHILDREN:
            link_account(MARIE.email, ensure(child), LinkRole.GUARDIAN)
        numbers = ", ".join([marie.number, *(child.number for child in MARIE_CHILDREN)])
        lines.append(("Marie Tremblay : dossier lié, tutrice de Léa et Thomas", numbers))
    else:
        lines.append(("Marie Tremblay : dossier lié", marie.number))

    try_out: list[Dossier] = []
    if operator.allows_linking(LinkingMethod.NUMBER_AND_BIRTH_DATE):
        try_out.append(ensure(BY_NUMBER))
        lines.append(
            (
                "Numéro de dossier + date de naissance (Jean-François Gagnon)",
                "104601 — 1979/11/03",
            )
        )
        if operator.has(Feature.HOUSEHOLDS):
            try_out.append(ensure(GAGNON_CHILD))
            lines.append(("Membre de la famille à ajouter (Émile Gagnon)", "104602 — 2017/06/21"))
    if operator.allows_linking(LinkingMethod.MEMBER_IDENTITY):
        try_out.append(ensure(BY_MEMBER_IDENTITY))
        lines.append(("Matricule CAOMSC (Sophie Côté)", "00875 — Côté — 1990/02/20 — G5C 1A1"))
        try_out.append(ensure(FIRST_VISIT))
        lines.append(
            (
                "Première visite, sans compte (Réjean Lévesque)",
                "01234 — Lévesque — 1968/04/02 — G5H 2B2",
            )
        )
    if operator.allows_linking(LinkingMethod.LEGACY_CREDENTIALS):
        try_out.append(ensure(BY_LEGACY))
        lines.append(("Anciens accès CCQ (Luc Bouchard)", f"{LEGACY_USERNAME} / {LEGACY_PASSWORD}"))
    if operator.allows_linking(LinkingMethod.LINKING_CODE):
        try_out.append(ensure(BY_CODE))
        lines.append(
            ("Code de liaison : le personnel l'émet pour le dossier", "304677 (Gabriel Pelletier)")
        )
    DossierLink.objects.filter(dossier__in=try_out).delete()

    if operator.has(Feature.DELEGATES):
        link_account(SUPER_USER.email, ensure(SUPER_USER), LinkRole.HOLDER)
        link_account(TO_REGISTER.email, ensure(TO_REGISTER), LinkRole.HOLDER)
        ensure_delegation(SUPER_USER.email)
        lines.append(
            (
                "Super-utilisatrice (Isabelle Roy)",
                "inscrit d'autres personnes, p. ex. Gaston Bélanger (104711)",
            )
        )
    return lines


def end_of_next_year() -> date:
    return date(timezone.localdate().year + 1, 12, 31)


def fitting(spec: DemoDossier, operator: Preset) -> DemoDossier:
    """``spec`` with a number the operator's forms accept (its matricule if need be)."""
    for number in (spec.number, spec.matricule):
        if number and re.fullmatch(operator.dossier_number_pattern, number):
            return replace(spec, number=number)
    raise ValueError(f"No demo number of {spec.first_name} fits {operator.slug}'s numbers.")


def ensure_dossier(spec: DemoDossier, town: Town, *, member_until: date | None = None) -> Dossier:
    defaults: dict[str, Any] = {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "birth_date": spec.birth_date,
        "email": spec.email,
        "home_street": "25, rue des Érables",
        "home_city": spec.city or town.city,
        "home_province": "QC",
        "home_postal_code": spec.postal_code or town.postal_code,
        "is_resident": spec.resident,
        "member_until": member_until,
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


def link_account(email: str, dossier: Dossier, role: str) -> None:
    """Link the demo account of ``email`` (once it exists) to ``dossier``."""
    account = Account.objects.filter(email__iexact=email).first()
    if account is not None:
        ensure_link(account, dossier, role)


def ensure_link(account: Account, dossier: Dossier, role: str) -> None:
    DossierLink.objects.filter(dossier=dossier, ended_at__isnull=True).exclude(
        account=account
    ).delete()
    if role == LinkRole.HOLDER:
        # An account holds one dossier: a demo loaded before under another preset may
        # have given it another number.
        DossierLink.objects.filter(
            account=account, role=LinkRole.HOLDER, ended_at__isnull=True
        ).exclude(dossier=dossier).delete()
    DossierLink.objects.update_or_create(
        account=account,
        dossier=dossier,
        ended_at=None,
        defaults={"role": role, "method": LinkMethod.STAFF},
    )


def ensure_delegation(email: str) -> None:
    """The super-user's delegation, in force since a month and without an end."""
    account = Account.objects.filter(email__iexact=email).first()
    if account is None:
        return
    Delegation.objects.update_or_create(
        account=account,
        note=DELEGATION_NOTE,
        defaults={
            "starts_on": timezone.localdate() - timedelta(days=30),
            "ends_on": None,
            "granted_by": Account.objects.filter(is_staff=True).order_by("pk").first(),
        },
    )

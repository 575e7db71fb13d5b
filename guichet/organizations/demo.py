"""The organizations' demo (presets with organizations: CCQ, and the demo operator).

A union local with its responsible (a demo account), a dozen contacts over the five
relation types (one ended, one without an account), and an employer that delegated
« Paiements et relevés » and « Rapport mensuel » to the local, assigned by the local to a
member of its staff. The local's legacy credentials (printed by ``load_demo`` and listed
in README.md) let a new account become another responsible, as in the guide's step 2.

Idempotent: the demo organizations' relations are put back in their demo state on every
load (demo data only; the product never deletes a relation).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import bcrypt
from django.db import transaction
from django.utils import timezone

from guichet.accounts.demo import DemoAccount, ensure_account
from guichet.accounts.models import Account
from guichet.dossiers.demo import ensure_link
from guichet.dossiers.legacy import verify_legacy_password
from guichet.dossiers.models import Dossier, DossierKind, LinkAttempt, LinkingCode, LinkRole
from guichet.organizations import subjects
from guichet.organizations.models import (
    AuthorizedSubject,
    Relation,
    RelationSubject,
    RelationType,
)
from guichet.presets import Feature, Preset

LOCAL_NUMBER = "700100"
EMPLOYER_NUMBER = "700200"
LEGACY_USERNAME = "local1234"
LEGACY_PASSWORD = "Local-1234-2019"  # noqa: S105  (published on purpose, like the others)
FRENCH = {  # load_demo's table and the README are in French, like the interface
    RelationType.LEADER: "Dirigeant",
    RelationType.AUTHORIZED: "Individu autorisé",
    RelationType.STAFF: "Membre du personnel",
    RelationType.RESPONSIBLE: "Personne responsable",
    RelationType.REPRESENTATIVE: "Représentant",
}
ALL = {code: "write" for code, *_rest in subjects.DEFAULT_SUBJECTS}


@dataclass(frozen=True)
class DemoContact:
    number: str
    first_name: str
    last_name: str
    kind: str
    grants: dict[str, str]
    email: str = ""
    account: bool = False  # a demo account that holds this dossier
    ended: bool = False
    language: str = "fr"


CONTACTS = (
    DemoContact(
        "700301",
        "Hélène",
        "Demers",
        RelationType.RESPONSIBLE,
        ALL,
        "helene.demers@exemple.ca",
        account=True,
    ),
    DemoContact(
        "700302",
        "Marc",
        "Gagné",
        RelationType.LEADER,
        {"profil": "write", "paiements": "read"},
        "marc.gagne@exemple.ca",
        account=True,
    ),
    DemoContact(
        "700303", "Julie", "Roy", RelationType.LEADER, {"profil": "read"}, "julie.roy@exemple.ca"
    ),
    DemoContact(
        "700304",
        "Pierre",
        "Lavoie",
        RelationType.AUTHORIZED,
        {"scrutin": "read"},
        "pierre.lavoie@exemple.ca",
    ),
    DemoContact(
        "700305",
        "Marie-Hélène",
        "Demers",
        RelationType.STAFF,
        {"donnees": "read"},
        "marie-helene.demers@exemple.ca",
        account=True,
    ),
    DemoContact("700306", "Sylvain", "Côté", RelationType.STAFF, {}, "sylvain.cote@exemple.ca"),
    DemoContact(
        "700307",
        "Annie",
        "Morin",
        RelationType.STAFF,
        {"rapport-mensuel": "read"},
        "annie.morin@exemple.ca",
        language="en",
    ),
    DemoContact(
        "700308",
        "Kevin",
        "Tremblay",
        RelationType.STAFF,
        {"paiements": "read"},
        "kevin.tremblay@exemple.ca",
        ended=True,
    ),
    DemoContact(
        "700309",
        "Louise",
        "Bergeron",
        RelationType.REPRESENTATIVE,
        {"plaintes": "write"},
        "louise.bergeron@exemple.ca",
    ),
    DemoContact(
        "700310",
        "Denis",
        "Pelletier",
        RelationType.REPRESENTATIVE,
        {"plaintes": "read"},
        "denis.pelletier@exemple.ca",
    ),
    DemoContact(
        "700311",
        "Chantal",
        "Girard",
        RelationType.AUTHORIZED,
        {"profil": "read"},
        "chantal.girard@exemple.ca",
    ),
    # No account: the responsible sends them a linking code (step 6).
    DemoContact("700312", "Yves", "Boucher", RelationType.STAFF, {}, "yves.boucher@exemple.ca"),
)
# The local's staff member the employer's subjects are assigned to.
ASSIGNED = "700305"


def _organization(number: str, name: str, email: str) -> Dossier:
    dossier, _created = Dossier.objects.update_or_create(
        number=number,
        defaults={
            "kind": DossierKind.ORGANIZATION,
            "organization_name": name,
            "first_name": "",
            "last_name": "",
            "birth_date": None,
            "email": email,
            "work_street": "3530, rue Jean-Talon Ouest",
            "work_city": "Montréal",
            "work_postal_code": "H3R 2G3",
            "work_phone": "514 555-0199",
            "language": "fr",
            "linking_locked_until": None,
        },
    )
    LinkAttempt.objects.filter(dossier=dossier).delete()
    return dossier


def _person(spec: DemoContact) -> Dossier:
    dossier, _created = Dossier.objects.update_or_create(
        number=spec.number,
        defaults={
            "kind": DossierKind.PERSON,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "birth_date": datetime.date(1975, 3, 1),
            "email": spec.email,
            "mobile_phone": "514 555-" + spec.number[-4:],
            "language": spec.language,
        },
    )
    LinkingCode.objects.filter(dossier=dossier).delete()
    return dossier


def _relate(
    contact: Dossier,
    organization: Dossier,
    kind: str,
    grants: dict[str, str],
    *,
    through: Dossier | None = None,
    ended: bool = False,
) -> None:
    today = timezone.localdate()
    fields = {"start_date": today - datetime.timedelta(days=400)}
    if ended:
        fields["end_date"] = today - datetime.timedelta(days=30)
    relation = Relation.objects.create(
        contact=contact, organization=organization, kind=kind, through=through, **fields
    )
    by_code = AuthorizedSubject.objects.in_bulk(list(grants), field_name="code")
    RelationSubject.objects.bulk_create(
        RelationSubject(relation=relation, authorized_subject=by_code[code], level=level)
        for code, level in grants.items()
    )


@transaction.atomic
def load(operator: Preset) -> tuple[list[tuple[DemoAccount, Account]], list[tuple[str, str]]]:
    if not operator.has(Feature.ORGANIZATIONS):
        return [], []
    subjects.seed()
    local = _organization(
        LOCAL_NUMBER, "Syndicat local 1234 de la construction", "local1234@exemple.ca"
    )
    employer = _organization(EMPLOYER_NUMBER, "Construction Boréal inc.", "paie@boreal.exemple.ca")
    if not verify_legacy_password(local.legacy_password_hash, LEGACY_PASSWORD):
        local.legacy_username = LEGACY_USERNAME
        local.legacy_password_hash = bcrypt.hashpw(
            LEGACY_PASSWORD.encode(), bcrypt.gensalt(rounds=10)
        ).decode()
        local.save(update_fields=["legacy_username", "legacy_password_hash"])
    # Back to the demo state: the demo organizations' relations only.
    mine = Relation.objects.filter(organization__in=[local, employer])
    RelationSubject.objects.filter(relation__in=mine).delete()
    mine.delete()

    accounts: list[tuple[DemoAccount, Account]] = []
    people = {}
    for spec in CONTACTS:
        person = _person(spec)
        people[spec.number] = person
        if spec.account:
            role = f"Contact : {FRENCH[RelationType(spec.kind)]} (Syndicat local 1234)"
            demo_account = DemoAccount(spec.email, spec.first_name, spec.last_name, role)
            account = ensure_account(demo_account)
            ensure_link(account, person, LinkRole.HOLDER)
            accounts.append((demo_account, account))
        _relate(person, local, spec.kind, spec.grants, ended=spec.ended)
    # The employer delegated two subjects to the local, which assigned them to its staff.
    _relate(
        local,
        employer,
        RelationType.REPRESENTATIVE,
        {"paiements": "write", "rapport-mensuel": "write"},
    )
    _relate(
        people[ASSIGNED],
        employer,
        RelationType.STAFF,
        {"paiements": "read", "rapport-mensuel": "read"},
        through=local,
    )
    lines = [
        (
            "Syndicat local 1234 : anciens accès de l'organisation (devenir responsable)",
            f"{LEGACY_USERNAME} / {LEGACY_PASSWORD}",
        ),
        ("Responsable du Syndicat local 1234 (Hélène Demers)", "helene.demers@exemple.ca"),
        (
            "Employeur qui a délégué « Paiements et relevés » et « Rapport mensuel »",
            f"Construction Boréal inc. ({EMPLOYER_NUMBER}), à Marie-Hélène Demers",
        ),
        ("Contact sans compte (Yves Boucher)", "700312 — yves.boucher@exemple.ca"),
    ]
    return accounts, lines

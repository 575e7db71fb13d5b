"""The import's « relations » sheet (registered with ``dossiers``' import by
``OrganizationsConfig.ready``): organizations' relations and their authorized subjects,
by dossier numbers (docs/import.md, docs/organizations.md).

One row is one relation: ``contact`` (a person's or an association's number),
``organisation`` (an organization's number), ``fonction`` (« Personne responsable »…),
optionally ``par`` (the association a delegated subject flows through), ``date_debut``,
``date_fin`` (empty: none), ``sujets_ecriture`` and ``sujets_lecture`` (the subjects'
codes or names, separated by « ; » or « , »). Idempotent: a relation is found again by its
contact, organization, function and ``par`` (a relation in force, not removed); its dates
and subjects become the row's (a subject no longer listed is withdrawn, its history kept).
The dossiers named may come from the same file's first sheet."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import presets
from guichet.core.dates import DateReadError, read_date
from guichet.dossiers.models import Dossier, DossierKind
from guichet.dossiers.services.importing.extra import ExtraSheet, SheetReport
from guichet.organizations import header
from guichet.organizations.models import (
    NO_END,
    Access,
    AuthorizedSubject,
    Relation,
    RelationSubject,
    RelationType,
)
from guichet.presets import Feature

COLUMNS = (
    "contact",
    "organisation",
    "fonction",
    "par",
    "date_debut",
    "date_fin",
    "sujets_ecriture",
    "sujets_lecture",
)
REQUIRED = ("contact", "organisation", "fonction")
MAX_QUOTED = 60


def _key(text: str) -> str:
    """« Personne responsable » → « personne_responsable »."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-']+", "_", plain.strip().lower())


KINDS = {
    **{_key(str(label)): value for value, label in RelationType.choices},
    **{value: value for value in RelationType.values},
    "dirigeant": RelationType.LEADER,
    "individu_autorise": RelationType.AUTHORIZED,
    "membre_du_personnel": RelationType.STAFF,
    "personne_responsable": RelationType.RESPONSIBLE,
    "representant": RelationType.REPRESENTATIVE,
}


def _quoted(value: str) -> str:
    return value if len(value) <= MAX_QUOTED else value[:MAX_QUOTED] + "…"


def _subjects() -> dict[str, AuthorizedSubject]:
    found: dict[str, AuthorizedSubject] = {}
    for subject in AuthorizedSubject.objects.all():
        for name in (subject.code, subject.name_fr, subject.name_en):
            found[_key(name)] = subject
    return found


def _date(text: str, default: date, label: str, reasons: list[str]) -> date:
    if not text:
        return default
    try:
        return read_date(text)
    except DateReadError:
        reasons.append(
            _("Invalid %(column)s « %(value)s » (expected YYYY-MM-DD or DD/MM/YYYY).")
            % {"column": label, "value": _quoted(text)}
        )
        return default


@dataclass(frozen=True)
class _Wanted:
    contact: Dossier | None  # None: brought by the first sheet, not written (a dry run)
    organization: Dossier | None
    through: Dossier | None
    kind: str
    start: date
    end: date
    levels: dict[int, str]  # subject id → access


def apply_relations(
    rows: list[tuple[int, dict[str, str]]], brought: set[str], dry_run: bool
) -> SheetReport:
    report = SheetReport()
    numbers = {
        cells.get(column, "")
        for _line, cells in rows
        for column in ("contact", "organisation", "par")
    } - {""}
    dossiers = {d.number: d for d in Dossier.objects.filter(number__in=numbers)}
    subjects = _subjects()
    today = timezone.localdate()
    seen: dict[tuple[str, ...], int] = {}
    wanted: list[_Wanted] = []
    for line, cells in rows:
        reasons: list[str] = []
        found: dict[str, Dossier | None] = {}
        for column in ("contact", "organisation", "par"):
            label = column  # the file's own (French) column names
            number = cells.get(column, "")
            found[column] = dossiers.get(number)
            if not number:
                if column != "par":
                    reasons.append(
                        _("The %(column)s's file number is missing.") % {"column": label}
                    )
            elif number not in dossiers and number not in brought:
                reasons.append(
                    _("No file has the number « %(number)s » (%(column)s).")
                    % {"number": _quoted(number), "column": label}
                )
        organization = found["organisation"]
        if organization is not None and organization.kind != DossierKind.ORGANIZATION:
            reasons.append(
                _("File %(number)s is not an organization's.") % {"number": organization.number}
            )
        if cells.get("contact") and cells.get("contact") == cells.get("organisation"):
            reasons.append(_("A relation does not go from a file to itself."))
        kind = KINDS.get(_key(cells.get("fonction", "")))
        if kind is None:
            reasons.append(
                _("Unknown function « %(value)s » (expected one of: %(kinds)s).")
                % {
                    "value": _quoted(cells.get("fonction", "")),
                    "kinds": ", ".join(str(label) for _v, label in RelationType.choices),
                }
            )
        start = _date(cells.get("date_debut", ""), today, "date_debut", reasons)
        end = _date(cells.get("date_fin", ""), NO_END, "date_fin", reasons)
        if end < start:
            reasons.append(_("The end date comes before the start date."))
        levels: dict[int, str] = {}
        for column, access in (("sujets_lecture", Access.READ), ("sujets_ecriture", Access.WRITE)):
            for name in re.split(r"[;,]", cells.get(column, "")):
                if not name.strip():
                    continue
                subject = subjects.get(_key(name))
                if subject is None:
                    reasons.append(
                        _("Unknown authorized subject « %(value)s ».") % {"value": _quoted(name)}
                    )
                else:
                    levels[subject.pk] = access  # write, read last, wins
        identity = tuple(cells.get(c, "") for c in ("contact", "organisation", "par")) + (
            str(kind),
        )
        if identity in seen:
            reasons.append(
                _("This relation appears twice in the sheet (first on line %(line)d).")
                % {"line": seen[identity]}
            )
        else:
            seen[identity] = line
        if reasons:
            report.errors.extend((line, reason) for reason in reasons)
            continue
        wanted.append(
            _Wanted(
                contact=found["contact"],
                organization=organization,
                through=found["par"],
                kind=str(kind),
                start=start,
                end=end,
                levels=levels,
            )
        )
    if dry_run:
        for row in wanted:
            if _existing(row) is None:
                report.created += 1
            else:
                report.updated += 1
        return report
    with transaction.atomic():
        for row in wanted:
            if _write(row):
                report.created += 1
            else:
                report.updated += 1
        header.bump_holders_of(*{row.contact.pk for row in wanted if row.contact})
    return report


def _existing(row: _Wanted) -> Relation | None:
    if row.contact is None or row.organization is None:
        return None
    return Relation.objects.filter(
        contact=row.contact,
        organization=row.organization,
        kind=row.kind,
        through=row.through,
        removed_at__isnull=True,
    ).first()


def _write(row: _Wanted) -> bool:
    """Create or bring up to date one relation; True when created."""
    relation = _existing(row)
    created = relation is None
    if relation is None:
        if row.contact is None or row.organization is None:
            raise ValueError("Written only once its files exist.")
        relation = Relation.objects.create(
            contact=row.contact,
            organization=row.organization,
            through=row.through,
            kind=row.kind,
            start_date=row.start,
            end_date=row.end,
        )
    elif (relation.start_date, relation.end_date) != (row.start, row.end):
        relation.start_date = row.start
        relation.end_date = row.end
        relation.save(update_fields=["start_date", "end_date"])
    levels = row.levels
    live = {
        s.authorized_subject_id: s
        for s in RelationSubject.objects.filter(relation=relation, removed_at__isnull=True)
    }
    now = timezone.now()
    for subject_id, subject_row in live.items():
        if levels.get(subject_id) != subject_row.level:
            subject_row.removed_at = now
            subject_row.save(update_fields=["removed_at"])
    RelationSubject.objects.bulk_create(
        RelationSubject(relation=relation, authorized_subject_id=pk, level=level)
        for pk, level in levels.items()
        if pk not in live or live[pk].level != level
    )
    return created


def organizations_offered() -> bool:
    return presets.active().has(Feature.ORGANIZATIONS)


RELATIONS_SHEET = ExtraSheet(
    name="relations",
    columns=COLUMNS,
    required=REQUIRED,
    apply=apply_relations,
    enabled=organizations_offered,
)

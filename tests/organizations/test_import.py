"""The import's « relations » sheet: organizations' relations and their authorized
subjects, by dossier numbers, idempotent, every refused row's reason in French
(dossiers' import knows it only as a registered sheet)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import Dossier
from guichet.dossiers.services.importing import import_file
from guichet.organizations.models import Relation, RelationSubject, RelationType
from tests.organizations.cast import subject

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ccq")]

DOSSIERS = [
    ["numero", "type", "prenom", "nom", "organisation", "courriel"],
    ["500001", "organisation", "", "", "Syndicat local 1234", "local@exemple.ca"],
    ["500002", "organisation", "", "", "Construction Boréal inc.", ""],
    ["500003", "personne", "Hélène", "Demers", "", "helene@exemple.ca"],
    ["500004", "personne", "Marie-Hélène", "Demers", "", "mh@exemple.ca"],
]
RELATIONS = [
    ["contact", "organisation", "fonction", "par", "date_debut", "date_fin",
     "sujets_ecriture", "sujets_lecture"],
    ["500003", "500001", "Personne responsable", "", "2026-01-01", "", "", ""],
    ["500001", "500002", "Représentant", "", "2026-01-01", "",
     "paiements; rapport-mensuel", ""],
    ["500004", "500002", "Membre du personnel", "500001", "2026-01-01", "", "",
     "Paiements et relevés, Rapport mensuel"],
]  # fmt: skip


def workbook(*sheets: tuple[str, list[list[str]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(row) for row in rows).encode()


def test_a_workbook_brings_organizations_contacts_relations_and_subjects():
    subject("paiements")  # the operator's subjects, seeded
    data = workbook(("dossiers", DOSSIERS), ("relations", RELATIONS))
    dry = import_file(data, "ccq.xlsx", dry_run=True)
    assert (dry.bad_rows, dry.errors) == (0, [])
    assert dry.sheets["relations"] == {"created": 3, "updated": 0}
    assert not Dossier.objects.exists() and not Relation.objects.exists()

    report = import_file(data, "ccq.xlsx", dry_run=False)
    assert report.errors == [] and report.sheets["relations"] == {"created": 3, "updated": 0}
    delegated = Relation.objects.get(contact__number="500004")
    assert (delegated.organization.number, delegated.through.number) == ("500002", "500001")
    assert delegated.kind == RelationType.STAFF and delegated.is_active
    assert sorted((s.authorized_subject.code, s.level) for s in delegated.subjects.all()) == [
        ("paiements", "read"),
        ("rapport-mensuel", "read"),
    ]
    responsible = Relation.objects.get(contact__number="500003")
    assert responsible.kind == RelationType.RESPONSIBLE and not responsible.has_end
    event = AuditEvent.objects.get(action=Action.DOSSIER_IMPORTED)
    assert event.data["sheets"] == {"relations": {"created": 3, "updated": 0}}

    again = import_file(data, "ccq.xlsx", dry_run=False)
    assert again.sheets["relations"] == {"created": 0, "updated": 3}
    assert Relation.objects.count() == 3 and RelationSubject.objects.count() == 4


def test_a_new_import_brings_the_subjects_and_dates_up_to_date_keeping_history():
    subject("paiements")
    import_file(workbook(("dossiers", DOSSIERS), ("relations", RELATIONS)), "a.xlsx", dry_run=False)
    changed = [
        RELATIONS[0],
        ["500001", "500002", "representant", "", "2026-01-01", "2030-12-31", "paiements", ""],
    ]
    report = import_file(csv(changed), "relations.csv", dry_run=False)
    assert report.errors == [] and report.sheets["relations"] == {"created": 0, "updated": 1}
    relation = Relation.objects.get(contact__number="500001")
    assert relation.end_date.isoformat() == "2030-12-31"
    live = relation.subjects.filter(removed_at=None)
    assert [s.authorized_subject.code for s in live] == ["paiements"]
    assert relation.subjects.exclude(removed_at=None).count() == 1  # withdrawn, kept


def test_each_refused_row_says_why_in_french_and_the_good_rows_are_imported():
    subject("paiements")
    import_file(workbook(("dossiers", DOSSIERS)), "d.xlsx", dry_run=False)
    rows = [
        RELATIONS[0],
        RELATIONS[1],
        ["999999", "500001", "Dirigeant", "", "", "", "", ""],
        ["500004", "500001", "Patron", "", "", "", "", ""],
        ["500004", "500003", "Dirigeant", "", "", "", "", ""],
        ["500004", "500001", "Dirigeant", "", "2026-05-01", "2026-01-01", "inconnu", ""],
        ["500004", "500001", "Dirigeant", "", "01/13/2026", "", "", ""],
        RELATIONS[1],
    ]
    report = import_file(csv(rows), "relations.csv", dry_run=False)
    by_line = {}
    for error in report.errors:
        by_line.setdefault(error["line"], []).append(error["message"])
    assert set(by_line) == {3, 4, 5, 6, 7, 8}
    assert "Aucun dossier n'a le numéro « 999999 » (contact)" in by_line[3][0]
    assert by_line[3][0].startswith("Feuille « relations » : ")
    assert "Fonction inconnue « Patron »" in by_line[4][0]
    assert "n'est pas celui d'une organisation" in by_line[5][0]
    assert any("Sujet autorisé inconnu « inconnu »" in m for m in by_line[6])
    assert any("La date de fin précède la date de début" in m for m in by_line[6])
    assert "date_debut invalide" in by_line[7][0]
    assert "figure deux fois" in by_line[8][0]
    assert report.bad_rows == 6
    assert Relation.objects.count() == 1  # the good row
    assert Relation.objects.get().contact.number == "500003"


def test_without_organizations_the_sheet_is_not_read(settings):
    settings.GUICHET_PRESET = "comaq"
    refused = import_file(csv(RELATIONS), "relations.csv", dry_run=False)
    assert refused.failed and "Colonnes inconnues" in refused.errors[0]["message"]
    report = import_file(
        workbook(("dossiers", DOSSIERS[:1] + DOSSIERS[3:])), "d.xlsx", dry_run=False
    )
    assert report.errors == [] and report.sheets == {}
    assert not Relation.objects.exists()

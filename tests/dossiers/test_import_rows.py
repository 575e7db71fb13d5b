"""Importing dossiers: validation with line numbers, dry run, creation, idempotent updates."""

from __future__ import annotations

import io

import openpyxl
import pytest

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import Dossier, DossierKind
from guichet.dossiers.services.importing import import_file
from tests.dossiers.factories import DossierFactory, DossierLinkFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "numero,type,prenom,nom,organisation,date_naissance,courriel,telephone_domicile,code_postal"
)
GOOD = [
    "10001,personne,Marie,Tremblay,,1982/04/17,marie@exemple.ca,4185550142,g4z1a1",
    "10002,organisation,,,Club de soccer,,info@club.exemple.ca,(418) 555-0188,G5C 1C5",
]


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def errors_by_line(report) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for error in report.errors:
        found.setdefault(error["line"], []).append(error["message"])
    return found


def test_bad_rows_are_reported_with_their_line_number_and_reason():
    data = csv_bytes(
        GOOD[0],
        "12,personne,Jean,Gagnon,,1975-11-30,,,",
        "10004,personne,Jean,,,1975-11-30,,,",
        "10005,personne,Jean,Roy,,11/30/1975,,,",  # month first: refused
        "10006,personne,Jean,Roy,,,pas-un-courriel,,",
        "10007,personne,Jean,Roy,,,,,12345",
        "10008,personne,Jean,Roy,,,,555,",
        "10001,personne,Marie,Tremblay,,,,,",
    )
    report = import_file(data, "dossiers.csv", dry_run=True)
    errors = errors_by_line(report)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert "Numéro de dossier invalide" in errors[3][0]
    assert "nom de famille" in errors[4][0]
    assert "Date de naissance invalide" in errors[5][0]
    assert "Adresse courriel invalide" in errors[6][0]
    assert "Code postal invalide" in errors[7][0]
    assert "Numéro de téléphone invalide" in errors[8][0]
    assert "en double" in errors[9][0] and "ligne 2" in errors[9][0]
    assert report.bad_rows == 7
    assert report.processed_rows == 8


def test_unsupported_legacy_hash_is_refused():
    header = "numero,nom,ancien_identifiant,ancien_mot_de_passe_hache"
    report = import_file(
        csv_bytes("10001,Roy,proy,crypt-des-abc", header=header), "a.csv", dry_run=True
    )
    assert errors_by_line(report)[2] == ["Format de mot de passe hérité non pris en charge."]


def test_dry_run_writes_nothing():
    report = import_file(csv_bytes(*GOOD), "dossiers.csv", dry_run=True)
    assert (report.created, report.updated, report.bad_rows) == (2, 0, 0)
    assert not Dossier.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.DOSSIER_IMPORTED).exists()


def test_real_run_creates_normalized_dossiers_and_audits_once():
    report = import_file(csv_bytes(*GOOD, "bad,personne,X,Y,,,,,"), "dossiers.csv", dry_run=False)
    assert (report.created, report.updated, report.bad_rows) == (2, 0, 1)
    marie = Dossier.objects.get(number="10001")
    assert (marie.last_name, str(marie.birth_date)) == ("Tremblay", "1982-04-17")
    assert marie.home_phone == "418 555-0142"
    assert marie.home_postal_code == "G4Z 1A1"
    club = Dossier.objects.get(number="10002")
    assert club.kind == DossierKind.ORGANIZATION
    assert club.organization_name == "Club de soccer"
    event = AuditEvent.objects.get(action=Action.DOSSIER_IMPORTED)
    assert event.data == {
        "file": "dossiers.csv",
        "rows": 3,
        "created": 2,
        "updated": 0,
        "bad_rows": 1,
    }


def test_second_import_updates_without_duplicating():
    import_file(csv_bytes(*GOOD), "dossiers.csv", dry_run=False)
    changed = GOOD[0].replace("Tremblay", "Tremblay-Roy")
    report = import_file(csv_bytes(changed, GOOD[1]), "dossiers.csv", dry_run=False)
    assert (report.created, report.updated) == (0, 2)
    assert Dossier.objects.count() == 2
    assert Dossier.objects.get(number="10001").last_name == "Tremblay-Roy"


def test_columns_absent_from_the_file_keep_their_value():
    DossierFactory(number="10001", last_name="Tremblay", email="garde@exemple.ca")
    import_file(csv_bytes("10001,Tremblay-Roy", header="numero,nom"), "a.csv", dry_run=False)
    dossier = Dossier.objects.get(number="10001")
    assert (dossier.last_name, dossier.email) == ("Tremblay-Roy", "garde@exemple.ca")


def test_legacy_credentials_of_a_held_dossier_are_never_restored():
    held = DossierFactory(number="10001", legacy_username="", legacy_password_hash="")
    DossierLinkFactory(dossier=held)
    DossierFactory(number="10002")
    header = "numero,nom,ancien_identifiant,ancien_mot_de_passe_hache"
    rows = ["10001,Nouveau,proy,md5$x9$abc", "10002,Autre,slavoie,sha1$sel$def"]
    import_file(csv_bytes(*rows, header=header), "a.csv", dry_run=False)
    held.refresh_from_db()
    assert (held.last_name, held.legacy_username, held.legacy_password_hash) == ("Nouveau", "", "")
    free = Dossier.objects.get(number="10002")
    assert (free.legacy_username, free.legacy_password_hash) == ("slavoie", "sha1$sel$def")


def test_semicolons_byte_order_mark_and_accented_headers_are_accepted():
    data = "\ufeffNuméro;Prénom;Nom;Date naissance\n10001;Marie;Tremblay;1982-04-17\n"
    report = import_file(data.encode(), "a.csv", dry_run=False)
    assert (report.created, report.bad_rows) == (1, 0)
    assert Dossier.objects.get(number="10001").first_name == "Marie"


def test_unknown_column_refuses_the_whole_file():
    report = import_file(csv_bytes("10001,X", header="numero,couriel"), "a.csv", dry_run=False)
    assert report.failed
    assert report.errors == [{"line": 1, "message": "Colonnes inconnues : couriel."}]
    assert not Dossier.objects.exists()


def test_xlsx_rows_are_validated_with_spreadsheet_line_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["numero", "prenom", "nom", "date_naissance", "code_postal"])
    sheet.append(["10001", "Marie", "Tremblay", "1982-04-17", "G4Z1A1"])
    sheet.append([10002, "Jean", "", "1975/11/30", ""])
    sheet.append([])
    sheet.append(["10003", "Léa", "Roy", "pas une date", "G4Z 1A1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_file(buffer.getvalue(), "dossiers.xlsx", dry_run=False)
    errors = errors_by_line(report)
    assert sorted(errors) == [3, 5]
    assert "nom de famille" in errors[3][0]
    assert "Date de naissance invalide" in errors[5][0]
    assert list(Dossier.objects.values_list("number", "home_postal_code")) == [("10001", "G4Z 1A1")]


def test_column_named_twice_refuses_the_whole_file():
    report = import_file(csv_bytes("10001,X,Y", header="numero,nom,Nom"), "a.csv", dry_run=True)
    assert report.errors == [{"line": 1, "message": "Colonnes en double : nom."}]

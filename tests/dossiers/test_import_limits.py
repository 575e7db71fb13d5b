"""Importing hostile or unusual files: decompression bombs, huge cells, French Excel's CSV."""

from __future__ import annotations

import io
import random
import string
import tracemalloc
import zipfile

import openpyxl
import pytest

from guichet.dossiers.models import Dossier
from guichet.dossiers.services.importing import import_file

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"


def small_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["numero", "nom"])
    sheet.append(["10001", "Tremblay"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bomb(unpacked_mb: int) -> bytes:
    """A real workbook whose first sheet holds one cell of ``unpacked_mb`` MB of « A »:
    a few hundred KB once compressed, as in the report of issue 9."""
    source = zipfile.ZipFile(io.BytesIO(small_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item, source.read(item))
                continue
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8"?>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>numero</t></is></c>'
                    b'<c r="B1" t="inlineStr"><is><t>nom</t></is></c></row>'
                    b'<row r="2"><c r="A2" t="inlineStr"><is><t>10001</t></is></c>'
                    b'<c r="B2" t="inlineStr"><is><t>'
                )
                chunk = b"A" * MB
                for _ in range(unpacked_mb):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def test_decompression_bomb_is_refused_before_the_sheet_is_read():
    data = bomb(150)
    assert len(data) < 400 * 1024  # a small upload…
    tracemalloc.start()
    try:
        report = import_file(data, "dossiers.xlsx", dry_run=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # …that never gets unpacked: the process allocates a few MB at most, not 150.
    assert peak < 10 * MB
    assert report.failed
    [error] = report.errors
    assert error["line"] == 1
    assert error["message"].startswith("Ce fichier XLSX est refusé")
    assert "fois" in error["message"] and "CSV" in error["message"]
    assert len(error["message"]) < 400
    assert not Dossier.objects.exists()


def test_workbook_too_large_once_unpacked_is_refused_with_its_size():
    # Random letters barely compress, so no ratio gives this one away: only its size.
    letters = "".join(random.choices(string.ascii_letters, k=MB)).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        source = zipfile.ZipFile(io.BytesIO(small_workbook()))
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for number in range(3):
            target.writestr(f"xl/media/filler{number}.bin", letters * 70)
    report = import_file(out.getvalue(), "dossiers.xlsx", dry_run=True)
    assert report.failed
    assert "Mo" in report.errors[0]["message"]
    assert "200 Mo" in report.errors[0]["message"]


def test_ordinary_workbook_still_imports():
    report = import_file(small_workbook(), "dossiers.xlsx", dry_run=False)
    assert (report.failed, report.created, report.bad_rows) == (False, 1, 0)


def test_huge_cell_refuses_its_row_without_storing_the_value():
    huge = "".join(random.choices(string.ascii_letters, k=200_000))
    data = (
        "numero,nom,adresse,telephone_domicile\n"
        f"10001,Tremblay,{huge[:100_000]},\n"
        f"10002,Gagnon,,{huge[:500]}\n"
        "10003,Roy,,\n"
        f"10004,Lavoie,{huge},\n"
        "10005,Côté,,\n"
    ).encode()
    report = import_file(data, "dossiers.csv", dry_run=False)
    assert not report.failed
    assert (report.created, report.bad_rows) == (2, 3)
    messages: dict[int, str] = {}
    for error in report.errors:
        messages[error["line"]] = " ".join(
            filter(None, [messages.get(error["line"]), error["message"]])
        )
    assert "adresse" in messages[2] and "trop longue" in messages[2]
    assert "trop longue pour être lue" in messages[5]
    # A value quoted in a reason is cut: the report never stores what was refused whole.
    assert messages[3].startswith("Numéro de téléphone invalide")
    assert len(messages[3]) < 200 and "…" in messages[3]
    assert sum(len(message) for message in messages.values()) < 1000


def test_cp1252_csv_from_french_excel_is_read_with_its_accents():
    text = (
        "Numéro;Prénom;Nom;Adresse;Ville;Date naissance\r\n"
        "10001;Hélène;Bélanger;12, rue de l'Église;Québec;14/09/2015\r\n"
        "10002;François;Côté;3, boul. Laurier;Lévis;1982-04-17\r\n"
        "10003;Zoé;Lœuillet;5, ch. du Lac-à-l'Eau-Claire;Saint-Félix;\r\n"
    )
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = import_file(data, "export.csv", dry_run=False)
    assert (report.failed, report.created, report.bad_rows) == (False, 3, 0), report.errors
    helene = Dossier.objects.get(number="10001")
    assert (helene.first_name, helene.home_street, helene.home_city) == (
        "Hélène",
        "12, rue de l'Église",
        "Québec",
    )
    assert str(helene.birth_date) == "2015-09-14"
    assert Dossier.objects.get(number="10003").last_name == "Lœuillet"

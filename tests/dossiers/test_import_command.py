"""``manage.py import_dossiers``: progress bar, counts, bad rows, exit status."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from guichet.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "dossiers.csv"
    path.write_text(
        "numero,prenom,nom,date_naissance\n"
        "10001,Marie,Tremblay,1982-04-17\n"
        "10002,Jean,Gagnon,04/17/1982\n"
        "10003,Léa,Roy,2001-05-06\n",
        encoding="utf-8",
    )
    return path


def run(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("import_dossiers", *args, stdout=out)
    except SystemExit as exit:
        return out.getvalue(), int(exit.code)
    return out.getvalue(), 0


def test_dry_run_prints_progress_counts_and_bad_rows_and_writes_nothing(csv_file):
    output, status = run(str(csv_file), "--dry-run")
    assert "[##############################] 100 % 3/3" in output
    assert "Essai à blanc : rien n'a été écrit." in output
    assert "À créer : 2" in output
    assert "ligne 3 : Date de naissance invalide « 04/17/1982 »" in output
    assert status == 1
    assert not Dossier.objects.exists()


def test_real_run_imports_the_good_rows_and_reports_the_bad(csv_file):
    output, status = run(str(csv_file))
    assert "Créés : 2" in output
    assert "Lignes en erreur : 1" in output
    assert "ligne 3 :" in output
    assert status == 1
    assert sorted(Dossier.objects.values_list("number", flat=True)) == ["10001", "10003"]


def test_clean_file_imported_twice_updates_and_exits_zero(tmp_path):
    path = tmp_path / "propre.csv"
    path.write_text("numero,nom\n10001,Tremblay\n", encoding="utf-8")
    assert run(str(path))[1] == 0
    output, status = run(str(path))
    assert ("Créés : 0" in output, "Mis à jour : 1" in output, status) == (True, True, 0)
    assert Dossier.objects.count() == 1


def test_documented_sample_file_imports_without_errors(settings):
    settings.GUICHET_PRESET = "baie-comeau"
    sample = Path(__file__).resolve().parents[2] / "docs" / "samples" / "dossiers.csv"
    output, status = run(str(sample))
    assert (status, "Créés : 6" in output) == (0, True)
    gagnon = Dossier.objects.get(number="104530")
    assert (gagnon.work_phone, gagnon.work_postal_code) == ("418 555-0170 poste 204", "G7H 4B3")
    assert gagnon.legacy_password_hash.startswith("$2y$")

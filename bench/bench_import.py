"""Importing dossiers: 100,000 realistic rows from CSV, then the same file again.

Run against PostgreSQL (see docs/benchmarks.md for the exact command):
    GUICHET_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/guichet_bench_import \
    .venv/bin/python bench/bench_import.py [--rows 100000]
The tables are created from the models (as the test suite does), and the dossiers
table is emptied first, so the first import creates every row and the second updates them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django  # noqa: E402

django.setup()

import bcrypt  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from guichet.dossiers.models import Dossier  # noqa: E402
from guichet.dossiers.services.importing import ImportReport, import_file  # noqa: E402

FIRST_NAMES = ["Marie", "Jean", "Sophie", "Pierre", "Léa", "Louis", "Chloé", "Félix", "Émile"]
LAST_NAMES = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie"]
CITIES = [("Baie-Comeau", "G4Z"), ("Montréal", "H3Z"), ("Québec", "G1R"), ("Sherbrooke", "J1H")]
STREETS = ["rue Principale", "avenue Cartier", "boulevard Laflèche", "chemin du Lac"]
HEADER = (
    "numero;type;prenom;nom;organisation;date_naissance;courriel;langue;telephone_domicile;"
    "telephone_cellulaire;telephone_travail;adresse;ville;province;code_postal;employeur;"
    "adresse_travail;ville_travail;code_postal_travail;resident;ancien_identifiant;"
    "ancien_mot_de_passe_hache"
)


class NoMigrations:
    """Build the tables from the models, as pytest --nomigrations does."""

    def __contains__(self, item: str) -> bool:
        return True

    def __getitem__(self, item: str) -> None:
        return None


def legacy_hashes() -> list[str]:
    # bcrypt is slow by design: a handful of real hashes, reused across rows.
    hashes = [bcrypt.hashpw(b"Ancien2009", bcrypt.gensalt(rounds=4)).decode() for _ in range(5)]
    for algorithm in ("sha1", "md5"):
        for salt in ("sel1", "sel2"):
            digest = hashlib.new(algorithm, (salt + "Ancien2011").encode()).hexdigest()
            hashes.append(f"{algorithm}${salt}${digest}")
    return hashes


def ascii_email(address: str) -> str:
    return unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode().lower()


def write_rows(path: Path, count: int) -> None:
    rng = random.Random(2026)  # same file every run
    hashes = legacy_hashes()
    letters = "ABCEGHJKLMNPRSTVWXYZ"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for index in range(count):
            number = f"{1000000 + index}"
            city, prefix = rng.choice(CITIES)
            postal = f"{prefix} {rng.randint(1, 9)}{rng.choice(letters)}{rng.randint(0, 9)}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            born = f"{rng.randint(1930, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            phone = f"418{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
            legacy = index % 10 == 0
            row = [
                number,
                "personne",
                first,
                last,
                "",
                born,
                ascii_email(f"{first}.{last}.{index}@exemple.ca"),
                "fr" if index % 5 else "en",
                phone,
                "",
                "",
                f"{rng.randint(1, 9999)}, {rng.choice(STREETS)}",
                city,
                "QC",
                postal,
                "",
                "",
                "",
                "",
                "oui" if index % 3 else "non",
                f"user{index}" if legacy else "",
                rng.choice(hashes) if legacy else "",
            ]
            out.write(";".join(row) + "\n")


def timed_import(path: Path, label: str) -> ImportReport:
    start = time.perf_counter()
    report = import_file(path.read_bytes(), path.name, dry_run=False)
    elapsed = time.perf_counter() - start
    print(
        f"{label}: {elapsed:.1f} s for {report.processed_rows} rows "
        f"({report.processed_rows / elapsed:,.0f} rows/s); created {report.created}, "
        f"updated {report.updated}, bad rows {report.bad_rows}"
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    settings.MIGRATION_MODULES = NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Dossier._meta.db_table)
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table} CASCADE")  # noqa: S608
        else:
            Dossier.objects.all().delete()
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dossiers.csv"
        start = time.perf_counter()
        write_rows(path, rows)
        size = path.stat().st_size / 1_000_000
        print(f"Generated {rows} rows ({size:.1f} MB) in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        import_file(path.read_bytes(), path.name, dry_run=True)
        print(f"Dry run: {time.perf_counter() - start:.1f} s")
        first = timed_import(path, "First import")
        second = timed_import(path, "Second import (same file)")
    print(f"Dossiers in the database: {Dossier.objects.count()}")
    assert first.created == rows and second.updated == rows, "import is not idempotent"


if __name__ == "__main__":
    main()

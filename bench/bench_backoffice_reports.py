"""The back office's reports at size: the accounting export streamed (time to the last
byte, how much the resident memory grows while it streams, at two sizes to show it stays
flat) and the staff home's dashboard p95 on a data set of dossiers, registrations and
invoices.

The data set is written by PostgreSQL itself (INSERT … SELECT FROM generate_series), in
a database of its own: the sizes are printed with the figures.

Run alone: `.venv/bin/python bench/bench_backoffice_reports.py` (PostgreSQL only, from
GUICHET_DATABASE_URL). Sizes: BENCH_BO_DOSSIERS (100,000), BENCH_BO_REGISTRATIONS
(1,000,000), BENCH_BO_EXPORT_ROWS (100,000 invoices); `make bench` uses small ones unless
BENCH_FULL=1 (scripts/run-bench.sh).
"""

from __future__ import annotations

import gc
import logging
import os
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from guichet.accounts.models import Account, StaffRole  # noqa: E402
from guichet.registrations.models import Registration  # noqa: E402

DOSSIERS = int(os.environ.get("BENCH_BO_DOSSIERS", "100000"))
REGISTRATIONS = int(os.environ.get("BENCH_BO_REGISTRATIONS", "1000000"))
EXPORT_ROWS = int(os.environ.get("BENCH_BO_EXPORT_ROWS", "100000"))
OFFERINGS = 1000
ROUNDS = int(os.environ.get("BENCH_BO_ROUNDS", "30"))
STAFF = "bench-admin@exemple.ca"


def filler(table: str, given: dict[str, str]) -> tuple[str, str]:
    """The column list and the SELECT list of an INSERT … SELECT into ``table``: ``given``
    for the columns named, a neutral value for every other column that may not be null."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
            [table],
        )
        required = cursor.fetchall()
    neutral = {
        "boolean": "false",
        "integer": "0",
        "smallint": "0",
        "bigint": "0",
        "numeric": "0",
        "jsonb": "'{}'::jsonb",
        "date": "current_date",
        "timestamp with time zone": "now()",
        "uuid": "gen_random_uuid()",
    }
    values = dict(given)
    for column, kind in required:
        if column not in values and column != "id":
            values[column] = neutral.get(kind, "''")
    return ", ".join(f'"{column}"' for column in values), ", ".join(values.values())


def insert(table: str, rows: int, given: dict[str, str]) -> None:
    columns, select = filler(table, given)
    select = select.replace("%", "%%")  # the modulo, beside the one parameter
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {select} FROM generate_series(0, %s) AS g",  # noqa: S608, E501
            [rows - 1],
        )


def build() -> Account:
    """The data set, once per database (found again by its staff account)."""
    staff = Account.objects.filter(email=STAFF).first()
    if staff is not None:
        return staff
    staff = Account.objects.create_user(email=STAFF, password="x", is_staff=True)  # noqa: S106
    staff.first_name, staff.last_name = "Banc", "Essai"
    staff.save()
    StaffRole.objects.create(account=staff, role="administration")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    started = time.perf_counter()
    insert(
        "dossiers_dossier",
        DOSSIERS,
        {
            "number": "'B' || lpad(g::text, 9, '0')",
            "kind": "'person'",
            "first_name": "'Prénom ' || g",
            "last_name": "'Nom ' || (g % 997)",
            "language": "CASE WHEN g % 5 = 0 THEN 'en' ELSE 'fr' END",
            "created_at": "now()",
            "updated_at": "now()",
        },
    )
    # Offerings over nearly three years, each opening 30 days before it starts, at 19 h.
    insert(
        "catalog_offering",
        OFFERINGS,
        {
            "kind": "'activity'",
            "title": "'Activité ' || g",
            "slug": "'banc-' || g",
            "starts_on": "current_date - 870 + g",
            "ends_on": "current_date - 820 + g",
            "capacity": "20 + (g % 10) * 20",
            "member_price": "40",
            "non_member_price": "60",
            "registration_opens_at": "(current_date - 900 + g)::timestamp + interval '19 hours'",
            "registration_closes_at": "(current_date - 870 + g)::timestamp",
            "change_deadline": "(current_date - 875 + g)::timestamp",
            "published": "true",
            "created_at": "now()",
            "updated_at": "now()",
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM catalog_offering WHERE slug LIKE 'banc-%%'")
        first_offering = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM dossiers_dossier WHERE number LIKE 'B%%'")
        first_dossier = cursor.fetchone()[0]
    # Registrations: offering g % OFFERINGS, a different participant per offering; most
    # confirmed, some waiting, cancelled or offered; spread over the days after opening.
    insert(
        "registrations_registration",
        REGISTRATIONS,
        {
            "offering_id": f"{first_offering} + g % {OFFERINGS}",
            "participant_id": (
                f"{first_dossier} + ((g / {OFFERINGS}) + (g % {OFFERINGS}) * 37) % {DOSSIERS}"
            ),
            "registered_by_id": str(staff.pk),
            "right": "'staff'",
            "status": (
                "CASE WHEN g % 20 = 0 THEN 'waiting' WHEN g % 20 = 1 THEN 'cancelled' "
                "WHEN g % 97 = 2 THEN 'offered' ELSE 'confirmed' END"
            ),
            "price_category": "'non_member'",
            "unit_price": "60",
            "answers": "'{}'::jsonb",
            "created_at": (
                f"(current_date - 900 + g % {OFFERINGS})::timestamp + interval '19 hours' "
                "+ ((g / 1000) % 240) * interval '1 hour'"
            ),
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_offering o SET spots_taken = c.n, "
            "capacity = greatest(o.capacity, c.n + c.n / 10 * (o.id % 3)) FROM ("
            "SELECT offering_id, count(*) AS n FROM registrations_registration "
            "WHERE status IN ('confirmed', 'offered') GROUP BY offering_id) c "
            "WHERE o.id = c.offering_id"
        )
        cursor.execute("SELECT min(id) FROM registrations_registration")
        first_registration = cursor.fetchone()[0]
    registration_type = ContentType.objects.get_for_model(Registration).pk
    # Invoices over the last year, each for one registration: 60 $ + taxes; a third unpaid.
    insert(
        "billing_invoice",
        EXPORT_ROWS,
        {
            "number": "'F-B-' || lpad(g::text, 8, '0')",
            "year": "extract(year from now())::int",
            "issued_at": "now() - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute'",
            "language": "'fr'",
            "payer_dossier_id": f"{first_dossier} + g % {DOSSIERS}",
            "payer_name": "'Payeur ' || g",
            "source_type_id": str(registration_type),
            "source_id": f"{first_registration} + (g * 7) % {REGISTRATIONS}",
            "description": "'Activité'",
            "subtotal": "60.00",
            "gst": "3.00",
            "qst": "5.99",
            "total": "68.99",
            "amount_paid": "CASE WHEN g % 3 = 0 THEN 0 ELSE 68.99 END",
            "amount_credited": "0",
            "card_only": "false",
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"data set written in {time.perf_counter() - started:.0f} s")
    return staff


def sizes() -> None:
    with connection.cursor() as cursor:
        for table in (
            "dossiers_dossier",
            "catalog_offering",
            "registrations_registration",
            "billing_invoice",
        ):
            cursor.execute(
                f"SELECT count(*), pg_size_pretty(pg_total_relation_size('{table}')) FROM {table}"  # noqa: S608, E501
            )
            count, size = cursor.fetchone()
            print(f"  {table}: {count:,} rows, {size}")


def percentile(samples: list[float], share: float) -> float:
    return sorted(samples)[max(int(len(samples) * share) - 1, 0)] * 1000


def rss() -> int:
    """The process's resident memory now, in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Sampler(threading.Thread):
    """The highest resident memory seen, every 20 ms, while an export streams."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = rss()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, rss())


def export(client: Client, fmt: str, start: date, end: date) -> tuple[float, float, int]:
    """Time to the last byte, growth of the resident memory while streaming, bytes sent."""
    url = f"/personnel/comptabilite/factures.{fmt}?start={start}&end={end}"
    gc.collect()
    before = rss()
    sampler = Sampler()
    sampler.start()
    began = time.perf_counter()
    response = client.get(url)
    sent = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - began
    sampler.done.set()
    sampler.join()
    assert response.status_code == 200, response.status_code
    return elapsed, (max(sampler.peak, rss()) - before) / 1e6, sent


def main() -> None:
    logging.disable(logging.WARNING)
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL (GUICHET_DATABASE_URL).")
    call_command("migrate", verbosity=0)
    staff = build()
    print("data set:")
    sizes()
    storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": storage}):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(staff)
        today = timezone.localdate()
        year_ago = today - timedelta(days=366)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM billing_invoice WHERE issued_at >= %s", [year_ago])
            everything = cursor.fetchone()[0]
        export(client, "csv", today - timedelta(days=3), today)  # warm: imports, catalogues
        export(client, "xlsx", today - timedelta(days=3), today)
        for label, start in (("a month", today - timedelta(days=30)), ("the year", year_ago)):
            for fmt in ("csv", "xlsx"):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM billing_invoice WHERE issued_at >= %s", [start]
                    )
                    rows = cursor.fetchone()[0]
                elapsed, peak, sent = export(client, fmt, start, today)
                print(
                    f"export of {label}'s invoices in {fmt.upper()}: {rows:,} rows, "
                    f"{sent / 1e6:.1f} MB in {elapsed:.1f} s, "
                    f"resident memory +{peak:.0f} MB at most"
                )
        assert everything
        home = "/personnel/tableau-de-bord/"
        client.get(home)
        for label, cold in (
            # Emptied: the request computes every language, the Celery task's work.
            ("figures computed (cache emptied before each)", True),
            ("figures from the cache (the usual case)", False),
        ):
            samples = []
            for _round in range(ROUNDS):
                if cold:
                    cache.clear()
                began = time.perf_counter()
                response = client.get(home)
                samples.append(time.perf_counter() - began)
                assert response.status_code == 200
            print(
                f"GET {home} as Administration (every chart), {label}: median "
                f"{statistics.median(samples) * 1000:.0f} ms, "
                f"p95 {percentile(samples, 0.95):.0f} ms over {ROUNDS} runs"
            )


if __name__ == "__main__":
    main()

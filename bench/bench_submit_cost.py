"""What one registration submission costs the server, against a trivial signed-in page.

The low-noise companion of ``bench_http_rush.py``. On a machine whose cores are shared,
requests per second swing by a factor of two between runs of the same code; the CPU a request
costs moves much less. This bench runs in one process, one request at a time, through the
whole Django stack (middleware, sessions, the view, ``submit_cart``) with Django's test client
(no HTTP server), on PostgreSQL, with the HTTP bench's data: one activity of ``--spots``
spots open now, ``--families`` signed-in families who went through the wizard up to the
review step. It then alternates blocks of trivial pages (``/compte/securite/``) and blocks of
submissions (the POST of the review step), and measures for each request:

- the CPU time of this process (Django, psycopg) and of the PostgreSQL backend serving it
  (``pg_backend_pid()``, read from /proc: same machine);
- the wall time.

It prints the CPU per request of each, and their ratio: when the server's CPU is the limit,
throughput goes as 1 / CPU per request, so this ratio is what ``bench_http_rush.py``'s
« ratio registration / trivial page » tends to on a machine where nothing else runs (the
offering's row lock aside: one request at a time never waits on it).

    GUICHET_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/guichet_bench \\
        .venv/bin/python bench/bench_submit_cost.py

It works in a throwaway database next to the named one and drops it at the end.
"""

from __future__ import annotations

import argparse
import gc
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_http_rush import KEY, prepare  # noqa: E402
from support import admin_sql, cpu_seconds, throwaway_database  # noqa: E402

TRIVIAL = "/compte/securite/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--spots", type=int, default=200)
    parser.add_argument("--block", type=int, default=100, help="requests per block")
    options = parser.parse_args()

    database = throwaway_database(os.environ.get("GUICHET_DATABASE_URL", ""))
    if database is None:
        print("bench_submit_cost needs PostgreSQL in GUICHET_DATABASE_URL; skipped.")
        return 0
    server_url, bench_url, name = database
    admin_sql(server_url, f'CREATE DATABASE "{name}"')
    data_dir = Path(os.environ.get("GUICHET_DATA_DIR") or tempfile.mkdtemp(prefix="guichet-cost-"))
    os.environ.update(
        {
            "GUICHET_DATABASE_URL": bench_url,
            "GUICHET_DATA_DIR": str(data_dir),
            "GUICHET_DEBUG": "0",
            "GUICHET_SECRET_KEY": secrets.token_urlsafe(50),
            "GUICHET_ALLOWED_HOSTS": "testserver",
            "GUICHET_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "guichet.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test import Client

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        slug, offering_id, families = prepare(options.families, options.spots)
        start = f"/inscriptions/s-inscrire/{slug}/"

        # Every family up to the review step (not measured).
        ready: list[tuple[Client, str]] = []
        for dossier, key in families:
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = key
            client.post(start, {"step": "who", "participants": dossier})
            review = client.get(f"{start}?step=details", follow=True)
            ready.append((client, KEY.search(review.content.decode()).group(1)))

        # The 1,000 prepared clients live in this process only (a gunicorn worker holds none):
        # keep them out of the garbage collector's way.
        gc.collect()
        gc.freeze()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]

        def measure(requests: list) -> tuple[list[float], list[float], list[float]]:
            django_cpu, database_cpu, wall = [], [], []
            for send in requests:
                cpu, db, began = time.process_time(), cpu_seconds(backend), time.perf_counter()
                response = send()
                wall.append(time.perf_counter() - began)
                django_cpu.append(time.process_time() - cpu)
                database_cpu.append(cpu_seconds(backend) - db)
                if response.status_code not in (200, 302):
                    raise RuntimeError(f"HTTP {response.status_code}")
            return django_cpu, database_cpu, wall

        results = {"trivial": ([], [], []), "submit": ([], [], [])}
        for first in range(0, len(ready), options.block):
            block = ready[first : first + options.block]
            trivial = [lambda c=c: c.get(TRIVIAL) for c, _ in block]
            submit = [
                lambda c=c, k=k: c.post(start, {"step": "review", "key": k}) for c, k in block
            ]
            for kind, requests in (("trivial", trivial), ("submit", submit)):
                for total, part in zip(results[kind], measure(requests), strict=True):
                    total.extend(part)

        print(
            f"families {len(ready)}, spots {options.spots}, blocks of {options.block}, one "
            f"request at a time, load average {os.getloadavg()[0]:.1f}"
        )
        cost = {}
        for kind, label in (("trivial", f"trivial page GET {TRIVIAL}"), ("submit", "submit")):
            django_cpu, database_cpu, wall = results[kind]
            cost[kind] = (sum(django_cpu) + sum(database_cpu)) / len(wall) * 1000
            print(
                f"{label}: {len(wall)} requests; CPU per request {cost[kind]:.2f} ms (Django "
                f"{sum(django_cpu) / len(wall) * 1000:.2f} ms, PostgreSQL "
                f"{sum(database_cpu) / len(wall) * 1000:.2f} ms); Django CPU median "
                f"{statistics.median(django_cpu) * 1000:.2f} ms; wall median "
                f"{statistics.median(wall) * 1000:.2f} ms"
            )
        ratio = cost["trivial"] / cost["submit"]
        print(f"ratio of CPU per request (trivial / submit): {ratio:.2f}")
        connections.close_all()
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())

"""What one registration costs the server through the API, against through the pages.

Issue 15: « a registration created through the API costs no more than through the pages ».
One process, one request at a time, through the whole Django stack with Django's test
client (no HTTP server), on PostgreSQL, as ``bench_submit_cost.py`` does: one activity
open now with room for everyone (nobody waits: every registration ends held, then
confirmed with its invoice), ``--registrations`` signed-in families for each way. It
alternates blocks of each way and measures, for each registration, the CPU time of this
process (Django, psycopg) and of the PostgreSQL backend serving it (read from /proc):

- **pages**: what a person sends — the wizard's « who » step (POST), its details and
  review page (GET, followed), the review's submission (POST: ``submit_cart``, the hold),
  then « Confirmer » (POST: ``confirm``, the invoice); the two POSTs that write are also
  counted alone;
- **API**: one ``POST /api/v1/registrations/`` with an ``Idempotency-Key``, by a key
  acting as the family's account (``submit_cart`` then ``confirm``, the invoice, the
  ``api.write`` audit row).

It prints the CPU per registration of each way and their ratio (API / pages).

    GUICHET_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/guichet_bench \\
        .venv/bin/python bench/bench_api_register.py --registrations 200

It works in a throwaway database next to the named one and drops it at the end.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_http_rush import KEY, prepare  # noqa: E402
from support import admin_sql, cpu_seconds, throwaway_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=200, help="for each way")
    parser.add_argument("--block", type=int, default=50, help="registrations per block")
    parser.add_argument("--warmup", type=int, default=5, help="first ones not counted")
    options = parser.parse_args()

    database = throwaway_database(os.environ.get("GUICHET_DATABASE_URL", ""))
    if database is None:
        print("bench_api_register needs PostgreSQL in GUICHET_DATABASE_URL; skipped.")
        return 0
    server_url, bench_url, name = database
    admin_sql(server_url, f'CREATE DATABASE "{name}"')
    data_dir = Path(os.environ.get("GUICHET_DATA_DIR") or tempfile.mkdtemp(prefix="guichet-api-"))
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
        from django.db import connection
        from django.db.models import Count
        from django.test import Client

        from guichet.api import keys
        from guichet.dossiers.models import DossierLink
        from guichet.registrations.models import Registration

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        count = options.registrations
        slug, offering_id, families = prepare(2 * count, 2 * count)
        start = f"/inscriptions/s-inscrire/{slug}/"
        links = {
            link.dossier_id: link
            for link in DossierLink.objects.select_related("account", "dossier").filter(
                dossier_id__in=[dossier for dossier, _ in families]
            )
        }

        # One test client (one handler: its middleware is loaded once, as in a running
        # server), given each family's session cookie or key in turn.
        client = Client()
        by_pages = families[:count]
        # The API's families: a key each, acting as the family's account (not measured).
        by_api = []
        for dossier, _session in families[count:]:
            link = links[dossier]
            token = keys.create_key(
                name=f"banc {dossier}",
                account=link.account,
                scopes=["registrations:write"],
                rate_per_minute=100_000,
                actor=None,
            ).token
            by_api.append((f"Bearer {token}", link.dossier.number))

        gc.collect()
        gc.freeze()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]

        def cost(send) -> float:
            """CPU seconds (this process and the database's) of ``send()``."""
            cpu, db = time.process_time(), cpu_seconds(backend)
            status = send().status_code
            if status not in (200, 201, 302):
                raise RuntimeError(f"HTTP {status}")
            return time.process_time() - cpu + cpu_seconds(backend) - db

        def by_the_pages(dossier, session) -> tuple[float, float]:
            """(whole journey, the two writing POSTs) in CPU seconds."""
            client.cookies.clear()
            client.cookies[settings.SESSION_COOKIE_NAME] = session
            who = cost(lambda: client.post(start, {"step": "who", "participants": dossier}))
            holder = {}

            def details():
                response = client.get(f"{start}?step=details", follow=True)
                holder["key"] = KEY.search(response.content.decode()).group(1)
                return response

            review = cost(details)
            submit = cost(lambda: client.post(start, {"step": "review", "key": holder["key"]}))
            held = Registration.objects.get(offering_id=offering_id, participant_id=dossier).pk
            confirm = cost(lambda: client.post(f"/inscriptions/{held}/confirmer/"))
            return who + review + submit + confirm, submit + confirm

        body = {"offering": offering_id, "answers": {}, "options": {}}

        def by_the_api(authorization, number) -> float:
            client.cookies.clear()
            return cost(
                lambda: client.post(
                    "/api/v1/registrations/",
                    json.dumps({**body, "participant": number}),
                    content_type="application/json",
                    headers={"Authorization": authorization, "Idempotency-Key": uuid.uuid4().hex},
                )
            )

        warmup = min(options.warmup, count - 1)  # first requests load code and fill caches
        pages, writes, api = [], [], []
        began = time.perf_counter()
        for first in range(0, count, options.block):
            for dossier, session in by_pages[first : first + options.block]:
                journey, posts = by_the_pages(dossier, session)
                pages.append(journey)
                writes.append(posts)
            for authorization, number in by_api[first : first + options.block]:
                api.append(by_the_api(authorization, number))
        elapsed = time.perf_counter() - began

        statuses = dict(
            Registration.objects.filter(offering_id=offering_id)
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        print(
            f"{count} registrations each way (the first {warmup} not counted), blocks of "
            f"{options.block}, one request at a time, {elapsed:.0f} s, load average "
            f"{os.getloadavg()[0]:.1f}; statuses {statuses}"
        )
        per = {
            name: sum(rows) / len(rows) * 1000
            for name, rows in (("pages", pages), ("writes", writes), ("api", api))
        }
        print(
            f"pages (who, details, review, confirm: 4 requests): {per['pages']:.1f} ms CPU "
            "per registration"
        )
        print(f"pages, the two writing POSTs alone (review, confirm): {per['writes']:.1f} ms")
        print(f"API (one POST /api/v1/registrations/): {per['api']:.1f} ms CPU per registration")
        print(
            f"ratio API / pages: {per['api'] / per['pages']:.2f} "
            f"(API / the pages' two POSTs: {per['api'] / per['writes']:.2f})"
        )
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())

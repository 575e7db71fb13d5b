"""Where registration day's requests spend their CPU: one page at a time, in process.

For each hot page (the offering page, the one-POST registration, the registration page, the
wizard's steps, the cart, « Mon dossier » and the security page) it prints the Django-side
CPU per request (``time.process_time`` over ``--repeat`` requests through the whole
middleware stack, Django's test client, DEBUG off), the statements one request sends, and,
with ``--profile``, pyinstrument's call tree of those requests. Not a benchmark of its own
(``make bench`` does not run it: its name has no ``bench_`` prefix):

    GUICHET_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/guichet_prof \\
      .venv/bin/python bench/profile_pages.py --profile offering_page home

It works in a throwaway database next to the named one and drops it at the end.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

from bench_http_flow import prepare
from support import admin_sql, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
KEY = re.compile(r'name="key" value="([^"]+)"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="only these pages (default: all)")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--spots", type=int, default=None, help="default: everyone gets one")
    parser.add_argument("--profile", action="store_true", help="print pyinstrument's tree")
    options = parser.parse_args()

    database = throwaway_database(os.environ.get("GUICHET_DATABASE_URL", ""))
    if database is None:
        print("profile_pages needs PostgreSQL in GUICHET_DATABASE_URL; skipped.")
        return 0
    server_url, url, name = database
    admin_sql(server_url, f'CREATE DATABASE "{name}"')
    os.environ.update(
        {
            "GUICHET_DATABASE_URL": url,
            "GUICHET_DATA_DIR": os.environ.get("GUICHET_DATA_DIR")
            or tempfile.mkdtemp(prefix="guichet-prof-"),
            "GUICHET_DEBUG": "0",
            "GUICHET_SECRET_KEY": secrets.token_urlsafe(50),
            "GUICHET_ALLOWED_HOSTS": "testserver",
            "GUICHET_DATABASE_CONN_MAX_AGE": "60",
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
        from django.test import Client

        settings.ALLOWED_HOSTS = ["testserver"]  # the test client's host
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        count = options.repeat * 12 + 10
        spots = count if options.spots is None else options.spots
        slug, _offering_id, people = prepare(count, spots, carts=options.repeat)
        # One handler for every person's client: a test client loads the middleware chain on
        # its first request (tens of ms), which a server process does once, not per person.
        shared = Client().handler
        clients = []
        for _dossier, key, _cart in people:
            client = Client()
            client.handler = shared
            client.cookies[settings.SESSION_COOKIE_NAME] = key
            clients.append(client)
        gc.freeze()
        offering = f"/catalogue/{slug}/"
        start = f"/inscriptions/s-inscrire/{slug}/"
        used = iter(range(len(people)))

        def fresh() -> tuple[Client, int, bool]:
            index = next(used)
            return clients[index], people[index][0], people[index][2]

        def key_of(client: Client, path: str) -> str:
            return KEY.search(client.get(path).content.decode()).group(1)

        # Each page: (name, prepare(client, dossier) -> request args, the request).
        def simple(path: str):
            return lambda c, d: lambda: c.get(path)

        def register_here(c, d):
            key = key_of(c, offering)
            data = {"step": "here", "key": key, "participants": [d]}
            return lambda: c.post(start, data)

        def registration_page(c, d):
            url = register_here(c, d)().url
            return lambda: c.get(url)

        def who_post(c, d):
            return lambda: c.post(start, {"step": "who", "q": "", "participants": [d]})

        def review_get(c, d):
            c.post(start, {"step": "who", "q": "", "participants": [d]})
            c.get(f"{start}?step=details")
            return lambda: c.get(f"{start}?step=review")

        pages = {
            "security": simple("/compte/securite/"),
            "home": simple("/mon-dossier/"),
            "offering_page": simple(offering),
            "register_here": register_here,
            "registration_page": registration_page,
            "who_get": simple(start),
            "who_post": who_post,
            "review_get": review_get,
            "cart": simple("/inscriptions/panier/"),
        }
        wanted = options.pages or list(pages)
        for page in wanted:
            requests = []
            for _ in range(options.repeat):
                client, dossier, _cart = fresh()
                requests.append(pages[page](client, dossier))
            statements = []

            def counted(execute, sql, params, many, context, into=statements):
                into.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counted):
                statuses = {requests[0]().status_code}
            profiler = None
            if options.profile:
                from pyinstrument import Profiler  # heavy and optional: only when asked

                profiler = Profiler(interval=0.0005)
                profiler.start()
            begin = time.process_time()
            statuses |= {request().status_code for request in requests[1:]}
            spent = (time.process_time() - begin) / max(1, len(requests) - 1) * 1000
            if profiler:
                profiler.stop()
            print(
                f"{page}: {spent:.2f} ms CPU per request (Django side), "
                f"{len(statements)} statements, HTTP {sorted(statuses)}"
            )
            if profiler:
                print(profiler.output_text(unicode=True, color=False, show_all=False))
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())

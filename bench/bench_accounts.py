"""Account pages: how fast the login page renders and what a password hash costs.

Run with `make bench` (or `.venv/bin/python bench/bench_accounts.py`). Uses the database
named by GUICHET_DATABASE_URL (`make bench` gives it one on PostgreSQL; run alone, a
throwaway SQLite file by default).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

ROUNDS = 300


def timed(label: str, function, rounds: int) -> None:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples) * 1000
    p95 = sorted(samples)[int(rounds * 0.95) - 1] * 1000
    print(f"{label}: median {median:.2f} ms, p95 {p95:.2f} ms over {rounds} runs")


def main() -> None:
    call_command("migrate", verbosity=0)
    storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": storage}):
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/compte/login/")
        timed("GET /compte/login/", lambda: client.get("/compte/login/"), ROUNDS)
        timed(
            "GET /compte/signup/ (new CAPTCHA challenge)",
            lambda: client.get("/compte/signup/"),
            ROUNDS,
        )
    timed("Argon2id hash of one password", lambda: make_password("Une phrase de passe"), 30)


if __name__ == "__main__":
    main()

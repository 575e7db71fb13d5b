"""The registration-day rush: many families submitting for few spots at the same time.

Threads (each with its own PostgreSQL connection) call the same service the pages call,
``submit_cart``, once per family, for one offering. Prints attempts/s, p50/p95/p99
latency, errors, final counts and the oversold count (must be 0).

    GUICHET_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/guichet_bench_rush \
    .venv/bin/python bench/bench_rush.py --threads 50 --families 2000 --spots 100

The database is migrated if needed; each run creates its own offering and families
(unique e-mails), so runs can follow each other on the same database.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from guichet.accounts.models import Account  # noqa: E402
from guichet.catalog.models import Offering  # noqa: E402
from guichet.dossiers.models import Dossier, DossierLink, LinkMethod, LinkRole  # noqa: E402
from guichet.registrations.models import Registration  # noqa: E402
from guichet.registrations.services.register import submit_cart  # noqa: E402


def prepare(families: int, spots: int) -> tuple[Offering, list[tuple[Account, Dossier]]]:
    run = uuid.uuid4().hex[:8]
    now = timezone.now()
    offering = Offering.objects.create(
        kind="activity",
        title=f"Camp de jour {run}",
        slug=f"camp-de-jour-{run}",
        starts_on=(now + timedelta(days=40)).date(),
        ends_on=(now + timedelta(days=80)).date(),
        capacity=spots,
        member_price=Decimal("90.00"),
        non_member_price=Decimal("120.00"),
        registration_opens_at=now - timedelta(minutes=1),
        registration_closes_at=now + timedelta(days=5),
        change_deadline=now + timedelta(days=3),
        published=True,
    )
    accounts = Account.objects.bulk_create(
        Account(email=f"famille{n}-{run}@exemple.ca", first_name="Famille", last_name=str(n))
        for n in range(families)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(number=f"R{run}{n:05d}", first_name="Famille", last_name=str(n))
        for n in range(families)
    )
    DossierLink.objects.bulk_create(
        DossierLink(account=a, dossier=d, role=LinkRole.HOLDER, method=LinkMethod.STAFF)
        for a, d in zip(accounts, dossiers, strict=True)
    )
    return offering, list(zip(accounts, dossiers, strict=True))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


def rush(offering: Offering, families: list[tuple[Account, Dossier]], threads: int) -> None:
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    queue = iter(families)
    barrier = threading.Barrier(threads)

    def worker() -> None:
        barrier.wait()
        try:
            while True:
                with lock:
                    family = next(queue, None)
                if family is None:
                    return
                account, dossier = family
                start = time.perf_counter()
                try:
                    result = submit_cart(
                        actor=account,
                        lines=[(offering, dossier, {}, {})],
                        idempotency_key=uuid.uuid4().hex,
                        right_for=None,
                    )
                    outcome = result["lines"][0]["outcome"]
                except Exception as error:  # noqa: BLE001 (counted and shown)
                    outcome = "error"
                    with lock:
                        errors.append(repr(error))
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
        finally:
            connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    duration = time.perf_counter() - started

    offering.refresh_from_db()
    held = Registration.objects.filter(offering=offering, status="held").count()
    waiting = Registration.objects.filter(offering=offering, status="waiting").count()
    print(f"families {len(families)}, threads {threads}, spots {offering.capacity}")
    print(
        f"attempts answered: {len(latencies)} in {duration:.2f} s = "
        f"{len(latencies) / duration:.0f} attempts/s"
    )
    print(
        f"latency p50 {percentile(latencies, 0.50):.0f} ms, "
        f"p95 {percentile(latencies, 0.95):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms"
    )
    print(f"outcomes {dict(sorted(outcomes.items()))}")
    print(
        f"held {held}, waiting list {waiting}, spots_taken {offering.spots_taken}, "
        f"oversold {max(0, held - offering.capacity)}, errors {len(errors)}"
    )
    for error in errors[:5]:
        print("  error:", error)
    if held != offering.capacity or offering.spots_taken != held or errors:
        sys.exit("capacity NOT respected or errors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--spots", type=int, default=100)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        print("bench_rush needs PostgreSQL (set GUICHET_DATABASE_URL); skipped.")
        return
    call_command("migrate", verbosity=0)
    offering, families = prepare(options.families, options.spots)
    rush(offering, families, options.threads)


if __name__ == "__main__":
    main()

"""The API's keyset listing: paging through 100,000 dossiers costs the same per page at
the end as at the start (no OFFSET), in id order and with ``updated_since``. And a
registration made through the API beside the same registration made by the services the
pages call (``submit_cart`` then ``confirm``): what the API adds (key, throttle, audit
row, serialisation).

Run alone: `.venv/bin/python bench/bench_api_list.py` (uses GUICHET_DATABASE_URL; on
PostgreSQL for meaningful numbers). BENCH_API_ROWS sets the number of dossiers (100,000).
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from guichet.accounts.models import Account  # noqa: E402
from guichet.api import keys, services  # noqa: E402
from guichet.api.models import ApiKey  # noqa: E402
from guichet.catalog.models import Offering  # noqa: E402
from guichet.dossiers.models import Dossier  # noqa: E402

ROWS = int(os.environ.get("BENCH_API_ROWS", "100000"))
LIMIT = 500
PREFIX = "APIB"


def ensure_dossiers() -> None:
    have = Dossier.objects.filter(number__startswith=PREFIX).count()
    batch = []
    for n in range(have, ROWS):
        batch.append(Dossier(number=f"{PREFIX}{n:07d}", first_name="Léa", last_name=f"Banc {n}"))
        if len(batch) == 5000:
            Dossier.objects.bulk_create(batch)
            batch.clear()
    if batch:
        Dossier.objects.bulk_create(batch)


def client_with_key() -> Client:
    staff, _ = Account.objects.get_or_create(
        email="bench-api@exemple.ca", defaults={"is_staff": True, "first_name": "Banc"}
    )
    ApiKey.objects.filter(name="bench-api").delete()
    made = keys.create_key(
        name="bench-api",
        account=staff,
        scopes=["dossiers:read", "registrations:write"],
        actor=None,
        rate_per_minute=10**6,
    )
    return Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {made.token}")


def walk(client: Client, params: dict[str, str]) -> list[float]:
    """Every page of the list, following next_cursor; the time of each."""
    times, cursor = [], None
    while True:
        query = {**params, "limit": str(LIMIT), **({"cursor": cursor} if cursor else {})}
        start = time.perf_counter()
        response = client.get("/api/v1/dossiers/", query)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content[:300]
        cursor = response.json()["next_cursor"]
        if not cursor:
            return times


def report(label: str, times: list[float]) -> None:
    tenth = max(1, len(times) // 10)
    first = statistics.median(times[:tenth]) * 1000
    last = statistics.median(times[-tenth:]) * 1000
    print(
        f"{label}: {len(times)} pages of {LIMIT}; median first tenth {first:.1f} ms,"
        f" last tenth {last:.1f} ms (ratio {last / first:.2f})"
    )


def bench_registrations(client: Client, staff: Account) -> None:
    """REGISTRATIONS people registered by the services, as many through the API."""
    count = int(os.environ.get("BENCH_API_REGISTRATIONS", "200"))
    now = timezone.now()
    run = uuid.uuid4().hex[:6]
    offering = Offering.objects.create(
        kind="activity",
        title=f"Banc {run}",
        slug=f"banc-api-{run}",
        starts_on=timezone.localdate() + timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=60),
        capacity=count * 3,
        member_price=Decimal("20.00"),
        non_member_price=Decimal("25.00"),
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=10),
        change_deadline=now + timedelta(days=5),
        published=True,
    )
    people = Dossier.objects.bulk_create(
        Dossier(
            number=f"R{run}{n:05d}",
            first_name="Léa",
            last_name=f"Inscrite {n}",
            birth_date=date(1990, 1, 1),
        )
        for n in range(count * 2)
    )
    service_times, api_times = [], []
    for person in people[:count]:
        start = time.perf_counter()
        with transaction.atomic():
            services.register(
                actor=staff,
                offering=offering,
                participant=person,
                options={},
                answers={},
                idempotency_key=uuid.uuid4().hex,
            )
        service_times.append(time.perf_counter() - start)
    for person in people[count:]:
        start = time.perf_counter()
        response = client.post(
            "/api/v1/registrations/",
            {"offering": offering.pk, "participant": person.number},
            content_type="application/json",
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        api_times.append(time.perf_counter() - start)
        assert response.status_code == 201, response.content[:300]
    service = statistics.median(service_times) * 1000
    api = statistics.median(api_times) * 1000
    print(
        f"Register one person (invoice issued): services {service:.1f} ms, API {api:.1f} ms"
        f" (median of {count} each; the API adds {api - service:.1f} ms)"
    )


def main() -> None:
    logging.disable(logging.INFO)  # the tasks' and emails' lines
    call_command("migrate", verbosity=0)
    ensure_dossiers()
    client = client_with_key()
    client.get("/api/v1/dossiers/", {"limit": "1"})  # warm up
    report("GET /api/v1/dossiers/ (id order)", walk(client, {}))
    report(
        "GET /api/v1/dossiers/?updated_since=2000-01-01",
        walk(client, {"updated_since": "2000-01-01T00:00:00Z"}),
    )
    bench_registrations(client, Account.objects.get(email="bench-api@exemple.ca"))


if __name__ == "__main__":
    main()

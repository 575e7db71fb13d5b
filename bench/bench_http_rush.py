"""Registration day over HTTP, the submit alone: gunicorn on PostgreSQL, 1,000 families.

The old figure, kept as a secondary line: it times only the review step's submit POST (the
wizard runs untimed before, the result is never loaded, a held spot never confirmed), so its
« registrations/s » are not whole attempts. ``bench_http_flow.py`` measures the whole flow.

Reference workload (docs/benchmarks.md): one activity of 200 spots open now, 1,000 signed-in
families, each submitting one registration through the registration pages (« S'inscrire »)
at concurrency 50, against ``gunicorn -w 4`` on loopback. In the same run a trivial
signed-in page (``/compte/securite/``) is measured at the same concurrency: the stack's
ceiling. Prints attempts/s, p50/p95/p99, errors, oversold (must be 0), the waiting list and
the ratio between the two.

    GUICHET_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/guichet_bench make bench

The run works in a throwaway database created next to the one named by
GUICHET_DATABASE_URL (the role needs CREATEDB) and drops it at the end; the named database
is not touched. Run alone without PostgreSQL it prints « skipped » and exits 0; `make bench`
always gives it PostgreSQL (a throwaway cluster when GUICHET_DATABASE_URL names none).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from support import (
    ROOT,
    ServerCpu,
    admin_sql,
    forget_sessions,
    free_port,
    served_environment,
    signed_in_people,
    start_gunicorn,
    stop,
    throwaway_database,
    wait_ready,
)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')


# Django side: data and sessions, in this process -----------------------------------------
def prepare(families: int, spots: int) -> tuple[str, int, list[tuple[int, str]]]:
    """One activity open now, ``families`` accounts each holding a dossier and signed in.
    Returns (slug, offering id, [(dossier id, session key)])."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from guichet.catalog.models import Offering

    now = timezone.now()
    offering = Offering.objects.create(
        kind="activity",
        title="Camp de jour (banc d'essai)",
        slug="camp-de-jour-banc",
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
    people = signed_in_people(families)
    sessions = [(p.dossier.pk, p.session_key) for p in people]
    return offering.slug, offering.pk, sessions


def final_counts(offering_id: int) -> dict[str, int]:
    from django.db.models import Count

    from guichet.catalog.models import Offering
    from guichet.registrations.models import Registration

    offering = Offering.objects.get(pk=offering_id)
    by_status = dict(
        Registration.objects.filter(offering=offering)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {"capacity": offering.capacity, "spots_taken": offering.spots_taken, **by_status}


# HTTP side -----------------------------------------------------------------------------------
class Browser:
    """One family's browser: its cookies and one connection (kept alive when the server
    allows it; gunicorn's sync workers close it after each response)."""

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = dict(cookies)

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        if response.status in (301, 302, 303):
            return response.status, response.headers.get("Location", "")
        return response.status, text


# Phases ------------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    duration: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds, per server side

    def cpu_per_answer(self, side: str | None = None) -> float:
        """Server CPU milliseconds per answered request (both sides when ``side`` is None)."""
        if not self.latencies or not self.cpu:
            return 0.0
        total = self.cpu[side] if side else sum(self.cpu.values())
        return total / len(self.latencies) * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.duration if self.duration else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000

    def report(self) -> None:
        print(
            f"{self.name}: {len(self.latencies)} answered in {self.duration:.2f} s = "
            f"{self.rate:.0f}/s; p50 {self.percentile(0.50):.0f} ms, "
            f"p95 {self.percentile(0.95):.0f} ms, p99 {self.percentile(0.99):.0f} ms; "
            f"errors {len(self.errors)}"
        )
        if self.cpu:
            print(
                f"  server CPU per answer: {self.cpu_per_answer():.1f} ms (gunicorn workers "
                f"{self.cpu_per_answer('workers'):.1f} ms, PostgreSQL "
                f"{self.cpu_per_answer('database'):.1f} ms)"
            )
        for error in self.errors[:5]:
            print("  error:", error)


def run_phase(
    name: str,
    tasks: list[Callable[[], None]],
    concurrency: int,
    limit: float,
    meter: ServerCpu | None = None,
) -> Phase:
    """Run every task on ``concurrency`` threads; a task raises to count an error. Tasks not
    started within ``limit`` seconds are skipped (the bench stays bounded). With ``meter``,
    the server's CPU time over the phase is recorded."""
    phase = Phase(name)
    before = meter.snapshot() if meter else None
    lock = threading.Lock()
    started = time.perf_counter()

    def one(task: Callable[[], None]) -> None:
        if time.perf_counter() - started > limit:
            return
        begin = time.perf_counter()
        try:
            task()
        except Exception as error:  # noqa: BLE001 (counted and shown)
            with lock:
                phase.errors.append(repr(error)[:200])
            return
        with lock:
            phase.latencies.append(time.perf_counter() - begin)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, tasks))
    phase.duration = time.perf_counter() - started
    if meter and before:
        phase.cpu = meter.spent(before, meter.snapshot())
    return phase


def expect(status: int, text: str, wanted: int, what: str) -> None:
    if status != wanted:
        raise RuntimeError(f"{what}: HTTP {status} (expected {wanted}) {text[:80]!r}")


def bench(
    port: int,
    slug: str,
    families: list[tuple[int, str]],
    options: argparse.Namespace,
    meter: ServerCpu,
) -> None:
    from django.conf import settings

    start = f"/inscriptions/s-inscrire/{slug}/"
    browsers = [Browser(port, {settings.SESSION_COOKIE_NAME: key}) for _, key in families]
    forms: dict[int, dict[str, str]] = {}

    # A signed-in session reaches a signed-in page (not the sign-in page).
    status, text = browsers[0].send("GET", "/compte/securite/")
    expect(status, text, 200, "signed-in page with a prepared session")

    def wizard(index: int, dossier: int) -> Callable[[], None]:
        """Before the click: who → (no questions) → review, as the family's browser does."""

        def task() -> None:
            browser = browsers[index]
            status, text = browser.send("GET", start)
            expect(status, text, 200, "step who")
            token = TOKEN.search(text).group(1)
            form = {"csrfmiddlewaretoken": token, "step": "who", "q": "", "participants": dossier}
            status, text = browser.send("POST", start, form)
            expect(status, text, 302, "post who")
            status, text = browser.send("GET", f"{start}?step=details")
            expect(status, text, 302, "step details (no questions)")
            status, text = browser.send("GET", f"{start}?step=review")
            expect(status, text, 200, "step review")
            forms[index] = {
                "csrfmiddlewaretoken": TOKEN.search(text).group(1),
                "step": "review",
                "key": KEY.search(text).group(1),
            }

        return task

    def trivial(index: int) -> Callable[[], None]:
        def task() -> None:
            status, text = browsers[index].send("GET", "/compte/securite/")
            expect(status, text, 200, "trivial page")

        return task

    def submit(index: int) -> Callable[[], None]:
        """The click on « Soumettre l'inscription »: answered by the redirect to the result."""

        def task() -> None:
            status, text = browsers[index].send("POST", start, forms[index])
            expect(status, text, 302, "submit")
            # The result page, or the registration's own page when there is one line.
            if not re.search(r"/inscriptions/(resultat/|\d+/$)", text):
                raise RuntimeError(f"submit redirected to {text!r}")

        return task

    count, limit = len(families), options.max_seconds
    prep = run_phase(
        "wizard up to review (not timed per se)",
        [wizard(i, d) for i, (d, _) in enumerate(families)],
        options.concurrency,
        options.wizard_seconds,
    )
    prep.report()
    rounds = [trivial(i % count) for i in range(count * options.trivial_rounds)]
    ceiling = run_phase(
        "trivial signed-in page GET /compte/securite/", rounds, options.concurrency, limit, meter
    )
    ready = [i for i in range(count) if i in forms]
    rush = run_phase(
        "registration submit POST (review step; the submit alone, not the whole flow: "
        "see bench_http_flow.py)",
        [submit(i) for i in ready],
        options.concurrency,
        limit,
        meter,
    )
    ceiling.report()
    rush.report()
    if ceiling.rate:
        print(f"ratio registration / trivial page: {rush.rate / ceiling.rate:.2f}")
    if ceiling.cpu_per_answer() and rush.cpu_per_answer():
        # When the server's CPU is the only limit, throughput goes as 1 / CPU per request.
        print(
            "ratio of server CPU per answer (trivial page / registration): "
            f"{ceiling.cpu_per_answer() / rush.cpu_per_answer():.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--spots", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--trivial-rounds", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=90, help="per measured phase")
    parser.add_argument(
        "--wizard-seconds",
        type=float,
        default=240,
        help="for the families' wizard before the click (on a crowded machine 90 s left "
        "families out of the rush)",
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    options = parser.parse_args()

    url = os.environ.get("GUICHET_DATABASE_URL", "")
    database = throwaway_database(url)
    if database is None:
        print(
            "bench_http_rush needs PostgreSQL: set GUICHET_DATABASE_URL="
            "postgresql://postgres@127.0.0.1:5432/guichet_bench; skipped."
        )
        return 0
    server_url, bench_url, name = database
    try:
        admin_sql(server_url, f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"bench_http_rush: cannot create the throwaway database {name} ({error}).")
        return 1
    data_dir = Path(os.environ.get("GUICHET_DATA_DIR") or tempfile.mkdtemp(prefix="guichet-http-"))
    env = served_environment(bench_url, data_dir)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        # The pages name their CSS through the static manifest (DEBUG off).
        call_command("collectstatic", interactive=False, verbosity=0)
        slug, offering_id, families = prepare(options.families, options.spots)
        connections.close_all()
        port = free_port()
        server = start_gunicorn(port, env, data_dir / "gunicorn.log", workers=options.workers)
        wait_ready(server, port, data_dir / "gunicorn.log")
        print(
            f"families {len(families)}, spots {options.spots}, concurrency "
            f"{options.concurrency}, gunicorn -w {options.workers} on 127.0.0.1:{port} "
            f"(pid {server.pid}), "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        bench(port, slug, families, options, ServerCpu(server.pid, bench_url, name))
        stop(server)
        counts = final_counts(offering_id)
        taken = counts.get("held", 0) + counts.get("confirmed", 0)
        oversold = max(0, counts["spots_taken"] - counts["capacity"], taken - counts["capacity"])
        print(
            f"capacity {counts['capacity']}, spots_taken {counts['spots_taken']}, held+confirmed "
            f"{taken}, waiting list {counts.get('waiting', 0)}, oversold {oversold}, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        forget_sessions([key for _, key in families])
        connections.close_all()
        return 1 if oversold else 0
    finally:
        if server is not None:
            stop(server)
        if not options.keep:
            from django.db import connections

            connections.close_all()
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())

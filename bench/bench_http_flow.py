"""Registration day over HTTP, the whole flow: what a family's browser really does.

Reference workload (docs/benchmarks.md, issue 13): gunicorn with sync workers on
PostgreSQL, one free activity of 200 places open now, 1,000 signed-in families (a tenth of
them with a cart prepared before the opening), 50 at a time. Each family's browser keeps
its cookies and CSRF token and follows redirects: it loads the activity page and then
does what the pages offer until nothing is left to do — the « who » step (GET and POST),
the details and review steps, the submit, the result page, the confirmation of a held
spot, the registration's page; a family with a prepared cart submits it from the cart
page (loaded before the opening) and goes on the same way. Nothing is scripted per
version of the site: the same client runs against older and newer pages, so the figures
compare like for like.

Every person's outcome is checked against the database: told « inscrit » ⇔ holds a live
registration that keeps a spot; told « liste d'attente » ⇔ is on the waiting list. In the
same run, the trivial signed-in page (``/compte/securite/``) and the « Mon dossier » home
are measured at the same concurrency: the stack's ceiling and the ratio to it.

    bash scripts/run-bench.sh bench/bench_http_flow.py        # or: make bench
    bash scripts/run-bench.sh bench/bench_http_flow.py --families 200 --spots 40

It works in a throwaway database created next to the one named by GUICHET_DATABASE_URL
and drops it at the end. Run alone without PostgreSQL it prints « skipped » and exits 0;
`make bench` always gives it PostgreSQL. It exits 1 if anything is oversold or lost, or if a
person was told something the database contradicts.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import psycopg
from flow_measure import Meter, percentiles, targets, trivial_phase
from flow_pages import Form, Page
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

TRIVIAL = "/compte/securite/"
HOME = "/mon-dossier/"
MAX_HOPS = 16


# Django side: data and sessions, in this process -----------------------------------------
def prepare(families: int, spots: int, carts: int) -> tuple[str, int, list[tuple[int, str, bool]]]:
    """One free activity open now and ``families`` signed-in accounts, each holding a dossier;
    the first ``carts`` of them prepared a cart line for it before the opening.
    Returns (slug, offering id, [(dossier id, session key, has a cart)])."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from guichet.catalog.models import Offering
    from guichet.registrations.models import CartLine

    now = timezone.now()
    offering = Offering.objects.create(
        kind="activity",
        title="Camp de jour (banc d'essai)",
        slug="camp-de-jour-banc",
        starts_on=(now + timedelta(days=40)).date(),
        ends_on=(now + timedelta(days=80)).date(),
        capacity=spots,
        member_price=Decimal("0.00"),
        non_member_price=Decimal("0.00"),
        registration_opens_at=now - timedelta(minutes=1),
        registration_closes_at=now + timedelta(days=5),
        change_deadline=now + timedelta(days=3),
        published=True,
    )
    people = signed_in_people(families)
    CartLine.objects.bulk_create(
        CartLine(account=p.account, offering=offering, participant=p.dossier)
        for p in people[:carts]
    )
    return (
        offering.slug,
        offering.pk,
        [(p.dossier.pk, p.session_key, n < carts) for n, p in enumerate(people)],
    )


def database_state(offering_id: int) -> tuple[dict[str, int], dict[int, str]]:
    """The offering's counters and each participant's live registration status."""
    from guichet.catalog.models import Offering
    from guichet.registrations.models import Registration, RegistrationStatus

    offering = Offering.objects.get(pk=offering_id)
    statuses = dict(
        Registration.objects.filter(
            offering_id=offering_id, status__in=RegistrationStatus.LIVE
        ).values_list("participant_id", "status")
    )
    holding = sum(1 for s in statuses.values() if s in RegistrationStatus.HOLDS_SPOT)
    counts = {
        "capacity": offering.capacity,
        "spots_taken": offering.spots_taken,
        "holding": holding,
        "waiting": sum(1 for s in statuses.values() if s == RegistrationStatus.WAITING),
    }
    return counts, statuses


# One family's browser ------------------------------------------------------------------------
STEP_NAMES = [
    (re.compile(r"^/catalogue/[^/]+/$"), "activity page"),
    (re.compile(r"^/inscriptions/s-inscrire/[^/]+/$"), "wizard"),
    (re.compile(r"^/inscriptions/resultat/"), "result page"),
    (re.compile(r"^/inscriptions/\d+/confirmer/$"), "confirm"),
    (re.compile(r"^/inscriptions/\d+/$"), "registration page"),
    (re.compile(r"^/inscriptions/panier/$"), "cart"),
]


def step_name(method: str, url: str, form: dict[str, str] | None = None) -> str:
    parts = urlsplit(url)
    name = next((n for p, n in STEP_NAMES if p.search(parts.path)), parts.path)
    if name == "wizard":
        step = (form or {}).get("step") or dict(
            p.partition("=")[::2] for p in parts.query.split("&") if p
        ).get("step", "who")
        name = "register from the activity page" if step == "here" else f"wizard {step}"
    if form and name == "cart" and "submit" in form:
        name = "cart submit"
    return f"{method} {name}"


# The POST that decides a spot or the waiting list, whatever page it comes from.
DECISIVE = re.compile(r"^POST (wizard review|cart submit|register from the activity page)")


class Told:
    REGISTERED = "inscrit"
    WAITING = "liste d'attente"
    NOTHING = "nothing clear"


def told(text: str) -> str:
    words = html.unescape(text).lower()
    if "liste d'attente" in words:
        return Told.WAITING
    if "inscription confirmée" in words or "confirmée</dd>" in words:
        return Told.REGISTERED
    return Told.NOTHING


@dataclass
class Attempt:
    person: int
    started: float = 0.0
    ended: float = 0.0
    steps: list[tuple[str, float, int]] = field(default_factory=list)  # (name, seconds, status)
    told: str = Told.NOTHING
    decided_at: float | None = None  # when the decisive POST was answered
    error: str = ""
    timeout: bool = False


class Browser:
    """Cookies, CSRF tokens and redirects, like a browser; every request is timed."""

    def __init__(self, transport: httpx.HTTPTransport, base: str, cookies: dict[str, str]):
        self.client = httpx.Client(
            transport=transport, base_url=base, cookies=cookies, timeout=30.0
        )
        self.base = base

    def go(
        self, attempt: Attempt, method: str, url: str, form: dict[str, str] | None = None
    ) -> tuple[str, str]:
        """One request and its redirects; returns (final url, page text)."""
        for _hop in range(MAX_HOPS):
            name = step_name(method, url, form)
            begin = time.perf_counter()
            response = self.client.request(method, url, data=form)
            seconds = time.perf_counter() - begin
            attempt.steps.append((name, seconds, response.status_code))
            if DECISIVE.match(name) and attempt.decided_at is None:
                attempt.decided_at = time.perf_counter()
            if response.status_code >= 500:
                raise RuntimeError(f"{name}: HTTP {response.status_code}")
            if response.status_code in (301, 302, 303):
                url, method, form = urljoin(url, response.headers["location"]), "GET", None
                continue
            if response.status_code != 200:
                raise RuntimeError(f"{name}: HTTP {response.status_code}")
            return url, response.text
        raise RuntimeError("too many redirects")


def fill(form: Form, dossier: int) -> dict[str, str]:
    data = dict(form.fields)
    mine = [v for n, v, disabled in form.boxes if n == "participants" and not disabled]
    if mine:
        data["participants"] = str(dossier) if str(dossier) in mine else mine[0]
    if form.button:
        data[form.button[0]] = form.button[1]
    return data


def next_action(url: str, text: str, slug: str, dossier: int) -> tuple[str, str, dict | None]:
    """What the family does on this page: (method, url, form) or ("", "", None) when done."""
    page = Page(text)
    posts = [f for f in page.forms if f.method == "post" and f.has_button]
    path = urlsplit(url).path
    for form in posts:  # a page that asks who registers: tick our own person, go on
        if any(name == "participants" for name, _, _ in form.boxes):
            return "POST", urljoin(url, form.action or url), fill(form, dossier)
    if path.startswith("/catalogue/"):  # no form on the activity page: its « S'inscrire » link
        link = next((h for h in page.links if f"/inscriptions/s-inscrire/{slug}/" in h), None)
        return ("GET", urljoin(url, link), None) if link else ("", "", None)
    for form in posts:  # the review step's submit (its idempotency key) or a confirmation
        names = {name for name, _ in form.fields}
        if "key" in names or "/confirmer/" in form.action:
            return "POST", urljoin(url, form.action or url), fill(form, dossier)
    return "", "", None


def attempt_flow(
    browser: Browser,
    attempt: Attempt,
    slug: str,
    dossier: int,
    cart_form: dict[str, str] | None,
) -> None:
    if cart_form is not None:  # the cart page was loaded before the opening: one click
        url, text = browser.go(attempt, "POST", "/inscriptions/panier/", cart_form)
    else:
        url, text = browser.go(attempt, "GET", f"/catalogue/{slug}/")
    for _ in range(MAX_HOPS):
        method, target, form = next_action(url, text, slug, dossier)
        if not method:
            break
        url, text = browser.go(attempt, method, target, form)
    attempt.told = told(text)


# The run -------------------------------------------------------------------------------------
def bench(
    port: int,
    slug: str,
    offering_id: int,
    people: list[tuple[int, str, bool]],
    options: argparse.Namespace,
    meter: ServerCpu,
) -> bool:
    from django.conf import settings

    base = f"http://127.0.0.1:{port}"
    transport = httpx.HTTPTransport(limits=httpx.Limits(max_connections=options.concurrency * 2))
    browsers = [
        Browser(transport, base, {settings.SESSION_COOKIE_NAME: key}) for _, key, _ in people
    ]
    probe = browsers[0].client.get(TRIVIAL)
    if probe.status_code != 200:
        raise RuntimeError(f"a prepared session does not reach {TRIVIAL}: {probe.status_code}")

    # Warm-up, not measured: a worker's first requests import modules, compile templates and
    # open its database connection; the first measured phase would pay it alone.
    warm = [path for path in (TRIVIAL, HOME, f"/catalogue/{slug}/") for _ in range(8)]
    with ThreadPoolExecutor(max_workers=options.workers * options.threads) as pool:
        list(pool.map(lambda path: browsers[0].client.get(path), warm * options.workers))

    # The ceiling, in the same run: the trivial signed-in page and the « Mon dossier » home.
    security = trivial_phase(
        "trivial signed-in page", TRIVIAL, browsers, options.trivial_rounds,
        options.concurrency, meter,
    )  # fmt: skip
    home = trivial_phase(
        "« Mon dossier » home", HOME, browsers, options.trivial_rounds, options.concurrency, meter
    )

    # Before the opening: families with a cart have its page open (not timed).
    cart_forms: dict[int, dict[str, str]] = {}
    for index, (dossier, _, has_cart) in enumerate(people):
        if not has_cart:
            continue
        text = browsers[index].client.get("/inscriptions/panier/").text
        form = next(
            (f for f in Page(text).forms if f.method == "post" and f.button == ("submit", "1")),
            None,
        )
        if form is not None:
            cart_forms[index] = fill(form, dossier)

    # The rush: everyone at once (the prepared carts first: they click at the opening).
    attempts = [Attempt(index) for index in range(len(people))]
    order = sorted(range(len(people)), key=lambda i: (i not in cart_forms, i))
    started = time.perf_counter()

    def one(index: int) -> None:
        attempt = attempts[index]
        if time.perf_counter() - started > options.max_seconds:
            attempt.error = "not started (--max-seconds)"
            return
        attempt.started = time.perf_counter()
        try:
            attempt_flow(browsers[index], attempt, slug, people[index][0], cart_forms.get(index))
        except httpx.TimeoutException as error:
            attempt.timeout, attempt.error = True, repr(error)[:200]
        except Exception as error:  # noqa: BLE001 (counted and shown)
            attempt.error = repr(error)[:200]
        attempt.ended = time.perf_counter()

    with Meter(meter) as measured:
        with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
            list(pool.map(one, order))
        duration = time.perf_counter() - started
    cpu = measured.spent()
    transport.close()

    # What each person was told, against the database.
    counts, statuses = database_state(offering_id)
    from guichet.registrations.models import RegistrationStatus

    wrong = []
    for attempt in attempts:
        dossier = people[attempt.person][0]
        status = statuses.get(dossier)
        if attempt.told == Told.REGISTERED:
            ok = status in RegistrationStatus.HOLDS_SPOT
        elif attempt.told == Told.WAITING:
            ok = status == RegistrationStatus.WAITING
        else:  # a failed attempt was told nothing (counted as failed, not as wrong)
            ok = bool(attempt.error)
        if not ok:
            wrong.append((dossier, attempt.told, status, attempt.error))
    done = [a for a in attempts if a.ended and not a.error]
    failed = [a for a in attempts if a.error]
    registered = [a for a in done if a.told == Told.REGISTERED]
    waiting = [a for a in done if a.told == Told.WAITING]
    steps = [s for a in attempts for s in a.steps]
    five_hundreds = sum(1 for _, _, status in steps if status >= 500)
    timeouts = sum(1 for a in attempts if a.timeout)
    oversold = max(
        0, counts["spots_taken"] - counts["capacity"], counts["holding"] - counts["capacity"]
    )
    # A spot counted with nobody holding it, or a person told a thing the database denies.
    lost = abs(counts["spots_taken"] - counts["holding"]) + len(wrong)
    full_at = max((a.decided_at for a in registered if a.decided_at), default=None)
    selling = (full_at - started) if full_at else 0.0

    print(
        f"families {len(people)} ({len(cart_forms)} with a prepared cart), spots "
        f"{counts['capacity']}, concurrency {options.concurrency}, gunicorn -w {options.workers} "
        f"-k {options.worker_class} --threads {options.threads}"
    )
    security.report()
    home.report()
    requests_per = Counter(len(a.steps) for a in done)
    print(
        f"whole attempts: {len(done)} done in {duration:.1f} s = {len(done) / duration:.1f} "
        f"attempts/s; {percentiles([a.ended - a.started for a in done])} per attempt; "
        f"requests per attempt {dict(sorted(requests_per.items()))}"
    )
    if full_at:
        print(
            f"selling: {len(registered)} told « inscrit », full after {selling:.1f} s = "
            f"{len(registered) / selling:.1f} successes/s while selling; "
            f"{len(waiting)} told « liste d'attente »"
        )
    by_step: dict[str, list[float]] = defaultdict(list)
    for name, seconds, _ in steps:
        by_step[name].append(seconds)
    for name in sorted(by_step, key=lambda n: -len(by_step[n])):
        print(f"  step {name}: {len(by_step[name])}, {percentiles(by_step[name])}")
    decisive = [s for n, s, _ in steps if DECISIVE.match(n)]
    print(f"decisive POST: {len(decisive)}, {percentiles(decisive)}")
    cpu_total = sum(cpu.values())
    per_attempt = cpu_total / len(done) * 1000 if done else 0.0
    print(
        f"server CPU per attempt: {per_attempt:.1f} ms (workers "
        f"{cpu.get('workers', 0) / max(1, len(done)) * 1000:.1f} ms, PostgreSQL "
        f"{cpu.get('database', 0) / max(1, len(done)) * 1000:.1f} ms); per request "
        f"{cpu_total / max(1, len(steps)) * 1000:.1f} ms"
    )
    if security.cpu_ms():
        # Steadier than rates on a shared machine: both inflate alike under contention.
        print(
            f"server CPU per attempt in trivial pages of this run: "
            f"{per_attempt / security.cpu_ms():.1f}"
        )
    if security.rate:
        print(
            "ratio whole attempts/s to the trivial page's: "
            f"{len(done) / duration / security.rate:.3f}"
            f"; « Mon dossier » home / trivial page: {home.rate / security.rate:.2f}"
        )
    print(
        f"errors: 5xx {five_hundreds}, timeouts {timeouts}, failed attempts {len(failed)}; "
        f"capacity {counts['capacity']}, spots_taken {counts['spots_taken']}, holding "
        f"{counts['holding']}, waiting list {counts['waiting']}, oversold {oversold}, lost {lost}"
    )
    for attempt in failed[:5]:
        print("  failed:", attempt.error)
    for item in wrong[:5]:
        print("  told ≠ database (dossier, told, status, error):", item)
    print("targets (issue 13, reference workload on a quiet machine):")
    for target in targets(
        attempts_rate=len(done) / duration if duration else 0.0,
        attempt_times=[a.ended - a.started for a in done],
        decisive_times=decisive,
        oversold=oversold,
        lost=lost,
        five_hundreds=five_hundreds,
        trivial_rate=security.rate,
        cpu_per_attempt_ms=per_attempt,
        home_rate=home.rate,
    ):
        print(target.line())
    # Secondary, for the record: what bench_http_rush.py used to call « registrations/s ».
    if decisive:
        print(
            f"secondary — decisive POSTs alone (the old submit-only figure, not whole "
            f"attempts): {len(decisive) / duration:.0f}/s over the rush, "
            f"{percentiles(decisive)}"
        )
    return not (oversold or lost or five_hundreds or failed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--spots", type=int, default=200)
    parser.add_argument("--carts", type=float, default=0.1, help="share with a prepared cart")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--trivial-rounds", type=int, default=2)
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=900,
        help="attempts not started by then are counted as failed (a crowded machine)",
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    options = parser.parse_args()

    url = os.environ.get("GUICHET_DATABASE_URL", "")
    database = throwaway_database(url)
    if database is None:
        print(
            "bench_http_flow needs PostgreSQL: set GUICHET_DATABASE_URL="
            "postgresql://postgres@127.0.0.1:5432/guichet_bench; skipped."
        )
        return 0
    server_url, bench_url, name = database
    try:
        admin_sql(server_url, f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"bench_http_flow: cannot create the throwaway database {name} ({error}).")
        return 1
    data_dir = Path(os.environ.get("GUICHET_DATA_DIR") or tempfile.mkdtemp(prefix="guichet-flow-"))
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
        call_command("collectstatic", interactive=False, verbosity=0)
        carts = round(options.families * options.carts)
        slug, offering_id, people = prepare(options.families, options.spots, carts)
        connections.close_all()
        port = free_port()
        server = start_gunicorn(
            port,
            env,
            data_dir / "gunicorn.log",
            workers=options.workers,
            worker_class=options.worker_class,
            threads=options.threads,
        )
        wait_ready(server, port, data_dir / "gunicorn.log")
        load_before = os.getloadavg()[0]
        ok = bench(port, slug, offering_id, people, options, ServerCpu(server.pid, bench_url, name))
        print(f"load average {load_before:.1f} → {os.getloadavg()[0]:.1f}")
        stop(server)
        forget_sessions([key for _, key, _ in people])
        connections.close_all()
        return 0 if ok else 1
    finally:
        if server is not None:
            stop(server)
        if not options.keep:
            from django.db import connections

            connections.close_all()
            admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())

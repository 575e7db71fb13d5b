"""The cluster test: Guichet as a cluster behind a load balancer, through a registration
rush, surviving the faults of a registration day (`make cluster-test`, docs/operations.md).

Everything runs on loopback, started here and stopped at the end: a PostgreSQL cluster
(initdb in /tmp), Redis (append-only file, as the broker needs), an SMTP sink (in this
process) that can refuse, two gunicorn app servers behind HAProxy (Debian's package) with
readiness checks on /sante/pret, one Celery worker (late acknowledgement) and beat.

1,000 families (``--families``) rush on one free activity of 200 spots (``--spots``): each
goes through « S'inscrire » (who, review, submit) through the load balancer and, when a
spot is held, confirms it and reads its registration's status; 5 % leave their hold
unconfirmed (the sweeper must free it). Like people, families retry on a 503 « réessayez »
or a load balancer's 502/504, never on a 500. During the rush:

1. app server 1 is killed (SIGKILL) and restarted;
2. PostgreSQL is restarted (fast shutdown, then start);
3. the Celery worker is killed (SIGKILL) while it sends confirmations, then restarted;
4. the SMTP server refuses every message for a minute (``--smtp-refuse-seconds``);
5. Redis is restarted.

It then asserts and prints: 0 oversold; every family told « Confirmée » has exactly one
registration, confirmed, and every confirmed registration was told; no 500 (the 503s are
counted); every confirmation email delivered at least once, duplicates counted; the holds
left unconfirmed freed by the sweeper; sessions still valid after the Redis restart; and
the throughput of a signed-in page through the cluster beside one app server alone.
Exit status 0 when every assertion holds.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv/bin"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')
RETRYABLE = {502, 503, 504}


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port} after {seconds} s")


# The pieces ---------------------------------------------------------------------------------
class Postgres:
    def __init__(self, folder: Path) -> None:
        initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not initdb:
            raise RuntimeError("PostgreSQL's server is not installed (apt-get install postgresql)")
        self.bin = initdb[-1].parent
        self.folder, self.port = folder, free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        folder.mkdir()
        if os.getuid() == 0:
            shutil.chown(folder, "postgres")
        self._run(
            "initdb", "-D", str(folder / "data"), "-U", "postgres", "-A", "trust", "--no-sync"
        )

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(  # noqa: S603 (our own command)
            [*self.as_postgres, str(self.bin / tool), *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
            "-c max_connections=300"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"


class Process:
    """A long-running child (gunicorn, Celery, Redis, HAProxy) that can be killed and
    started again with the same command."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], folder: Path) -> None:
        self.name, self.command, self.env, self.folder = name, command, env, folder
        self.popen: subprocess.Popen | None = None

    restarts = 0  # by the supervisor, as systemd's Restart=always does

    def start(self) -> None:
        log_file = (self.folder / f"{self.name}.log").open("a")
        self.popen = subprocess.Popen(  # noqa: S603 (our own command)
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class SmtpSink:
    """An SMTP server that records every message and can refuse them all for a while."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.received: list[tuple[str, str]] = []
        self.refused = 0
        self.refusing_until = 0.0
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
                if time.monotonic() < sink.refusing_until:
                    with sink.lock:
                        sink.refused += 1
                    return "451 4.3.0 Try again later"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                message = message_from_bytes(envelope.content)
                subject = str(make_header(decode_header(message.get("Subject", ""))))
                with sink.lock:
                    for address in envelope.rcpt_tos:
                        sink.received.append((address.lower(), subject))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def refuse_for(self, seconds: float) -> None:
        self.refusing_until = time.monotonic() + seconds


# HTTP side -----------------------------------------------------------------------------------
@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    connection_errors: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1


class Browser:
    """One family's browser: its cookies, one connection, and a person's patience: a
    503 « réessayez », a 502/504 or a refused connection is tried again after a pause."""

    def __init__(self, port: int, cookies: dict[str, str], tally: Tally) -> None:
        self.port, self.cookies, self.tally = port, dict(cookies), tally
        self.connection: http.client.HTTPConnection | None = None

    def once(self, method: str, path: str, form: dict[str, str] | None) -> tuple[int, str]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
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
            self.connection = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        if response.status in (301, 302, 303):
            return response.status, response.headers.get("Location", "")
        return response.status, text

    def send(
        self, method: str, path: str, form: dict[str, str] | None = None, patience: int = 40
    ) -> tuple[int, str]:
        for attempt in range(patience):
            try:
                status, text = self.once(method, path, form)
            except (OSError, http.client.HTTPException):
                with self.tally.lock:
                    self.tally.connection_errors += 1
                time.sleep(min(0.5 * (attempt + 1), 3))
                continue
            self.tally.count(status)
            if status not in RETRYABLE:
                return status, text
            with self.tally.lock:
                self.tally.retries += 1
            time.sleep(min(0.5 * (attempt + 1), 3))
        raise RuntimeError(f"{method} {path}: no answer after {patience} tries")


def expect(status: int, text: str, wanted: int, what: str) -> None:
    if status != wanted:
        raise RuntimeError(f"{what}: HTTP {status} (expected {wanted}) {text[:120]!r}")


# Django side (this process, same database) ---------------------------------------------------
def prepare(families: int, spots: int) -> tuple[str, int, list[tuple[int, str, str]]]:
    from datetime import timedelta
    from decimal import Decimal
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.utils import timezone

    from guichet.accounts.models import Account
    from guichet.catalog.models import Offering
    from guichet.dossiers.models import Dossier, DossierLink, LinkMethod, LinkRole

    now = timezone.now()
    offering = Offering.objects.create(
        kind="activity",
        title="Camp de jour (grappe)",
        slug="camp-de-jour-grappe",
        starts_on=(now + timedelta(days=40)).date(),
        ends_on=(now + timedelta(days=80)).date(),
        capacity=spots,
        member_price=Decimal("0.00"),
        non_member_price=Decimal("0.00"),
        hold_minutes=1,  # an unconfirmed hold is freed by the sweeper within two minutes
        registration_opens_at=now - timedelta(minutes=1),
        registration_closes_at=now + timedelta(days=5),
        change_deadline=now + timedelta(days=3),
        published=True,
    )
    accounts = Account.objects.bulk_create(
        Account(
            email=f"famille{n}@grappe.exemple.ca",
            first_name="Famille",
            last_name=str(n),
            password=UNUSABLE_PASSWORD_PREFIX + "grappe",
        )
        for n in range(families)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(number=f"G{n:06d}", first_name="Famille", last_name=str(n)) for n in range(families)
    )
    DossierLink.objects.bulk_create(
        DossierLink(account=a, dossier=d, role=LinkRole.HOLDER, method=LinkMethod.STAFF)
        for a, d in zip(accounts, dossiers, strict=True)
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for account, dossier in zip(accounts, dossiers, strict=True):
        session = store()
        session[SESSION_KEY] = str(account.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = account.get_session_auth_hash()
        session.create()
        sessions.append((dossier.pk, session.session_key, account.email))
    return offering.slug, offering.pk, sessions


def registration_of(submission_key: str) -> tuple[int | None, str]:
    """(registration id, outcome) of a submission, read as the result page reads it."""
    from django.db import close_old_connections

    from guichet.registrations.models import Submission

    for _attempt in range(30):
        try:
            submission = Submission.objects.get(key=submission_key)
            break
        except Exception:  # noqa: BLE001 (the database restarting: wait for it)
            close_old_connections()
            time.sleep(1)
    else:
        raise RuntimeError(f"submission {submission_key} unreadable")
    line = (submission.result.get("lines") or [{}])[0]
    return line.get("registration"), str(line.get("outcome", ""))


# The run --------------------------------------------------------------------------------------
def main() -> int:  # noqa: C901, PLR0915 (one scenario, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--spots", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--smtp-refuse-seconds", type=float, default=60)
    parser.add_argument("--email-wait", type=float, default=420, help="seconds, at most")
    parser.add_argument("--keep", action="store_true", help="keep the folder with the logs")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="guichet-cluster-"))
    os.chmod(folder, 0o755)  # noqa: S103 (PostgreSQL's user must reach its folder)
    log(f"cluster in {folder} (logs there)")
    for tool in ("haproxy", "redis-server"):
        if not shutil.which(tool):
            log(f"{tool} is missing: scripts/cluster-test.sh installs Debian's package")
            return 2
    postgres = Postgres(folder / "pg")
    postgres.start()
    subprocess.run(  # noqa: S603
        [
            *postgres.as_postgres,
            str(postgres.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(postgres.port),
            "-U",
            "postgres",
            "guichet",
        ],
        check=True,
    )
    redis_port, lb_port = free_port(), free_port()
    app_ports = [free_port(), free_port()]
    smtp = SmtpSink()
    smtp.controller.start()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    cache_port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GUICHET_")},
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
        "GUICHET_DATABASE_URL": postgres.url("guichet"),
        "GUICHET_DATABASE_CONN_MAX_AGE": "60",
        "GUICHET_REDIS_URL": redis_url,
        # The cache in a Redis of its own that keeps nothing (docs/operations.md).
        "GUICHET_CACHE_URL": f"redis://127.0.0.1:{cache_port}/0",
        "GUICHET_EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}?timeout=5",
        "GUICHET_SECRET_KEY": secrets.token_urlsafe(50),
        "GUICHET_DATA_DIR": str(folder / "data"),
        "GUICHET_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUICHET_LOG_FORMAT": "json",
        "GUICHET_LOG_LEVEL": "WARNING",
        "GUICHET_APP_SERVERS": "2",
        "GUICHET_MEDIA_SHARED": "true",
        # A task taken by a worker that died is given back after this long (the test waits).
        "GUICHET_BROKER_VISIBILITY_TIMEOUT": "90",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    redis = Process(
        "redis",
        [
            "redis-server",
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--dir",
            str(folder),
        ],
        env,
        folder,
    )
    cache_redis = Process(
        "cache-redis",
        ["redis-server", "--port", str(cache_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        env,
        folder,
    )  # fmt: skip
    apps = [
        Process(
            f"app{n + 1}",
            [str(VENV / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "guichet.wsgi:application"],
            {
                **env,
                "GUICHET_BIND": f"127.0.0.1:{port}",
                "GUICHET_WORKERS": str(options.workers),
                "GUICHET_THREADS": str(options.threads),
                "GUICHET_LOG_LEVEL": "warning",
            },
            folder,
        )
        for n, port in enumerate(app_ports)
    ]
    worker = Process(
        "worker",
        [
            str(VENV / "celery"),
            "-A",
            "guichet",
            "worker",
            "--concurrency=2",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
        folder,
    )
    beat = Process(
        "beat",
        [
            str(VENV / "celery"),
            "-A",
            "guichet",
            "beat",
            "--loglevel=INFO",
            f"--schedule={folder / 'beat-schedule'}",
        ],
        env,
        folder,
    )
    haproxy_cfg = folder / "haproxy.cfg"
    template = (ROOT / "deploy/haproxy.cfg").read_text()
    template = template.replace("bind :80", f"bind 127.0.0.1:{lb_port}")
    template = template.replace("log stdout format raw local0 info", "")
    template = template.replace(
        "server app1 10.0.0.11:8000", f"server app1 127.0.0.1:{app_ports[0]}"
    )
    template = template.replace(
        "server app2 10.0.0.12:8000", f"server app2 127.0.0.1:{app_ports[1]}"
    )
    haproxy_cfg.write_text(template)
    haproxy = Process("haproxy", ["haproxy", "-f", str(haproxy_cfg), "-db"], env, folder)
    everything = [haproxy, *apps, worker, beat, redis, cache_redis]
    failures: list[str] = []
    supervising = threading.Event()
    try:
        redis.start()
        cache_redis.start()
        wait_port(redis_port)
        wait_port(cache_port)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import close_old_connections, connections

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        slug, offering_id, families = prepare(options.families, options.spots)
        connections.close_all()
        for process in (*apps, worker, beat, haproxy):
            process.start()
        for port in (*app_ports, lb_port):
            wait_port(port, 60)
        time.sleep(5)  # HAProxy's first health checks
        # Supervision, as the systemd units' Restart=always: a process that exits on its own
        # (not killed by a fault below) is started again after 2 s, and counted.
        supervising.set()
        faulted: set[str] = set()

        def supervise() -> None:
            while supervising.is_set():
                for process in (*apps, worker, beat):
                    exited = process.popen is not None and process.popen.poll() is not None
                    if exited and process.name not in faulted and supervising.is_set():
                        time.sleep(2)
                        process.restarts += 1
                        process.start()
                time.sleep(1)

        threading.Thread(target=supervise, daemon=True).start()
        tally = Tally()
        from django.conf import settings

        cookie = settings.SESSION_COOKIE_NAME
        browsers = [Browser(lb_port, {cookie: key}, tally) for _, key, _ in families]
        status, text = browsers[0].send("GET", "/compte/securite/")
        expect(status, text, 200, "a prepared session through the load balancer")
        log(
            f"{len(families)} families, {options.spots} spots, concurrency "
            f"{options.concurrency}, 2 app servers × {options.workers} workers × "
            f"{options.threads} threads behind HAProxy on 127.0.0.1:{lb_port}"
        )

        # The faults, on their own thread, while the families register.
        start = f"/inscriptions/s-inscrire/{slug}/"
        done = threading.Event()
        faults: list[str] = []

        def inject() -> None:
            def at(second: float) -> bool:
                while time.monotonic() - began < second:
                    if done.is_set():
                        return False
                    time.sleep(0.2)
                return True

            if at(8):
                faulted.add("app1")
                apps[0].kill()
                faults.append(f"{time.monotonic() - began:.0f}s app1 SIGKILL")
                time.sleep(3)
                apps[0].start()
                faulted.discard("app1")
                faults.append(f"{time.monotonic() - began:.0f}s app1 restarted")
            if at(20):
                postgres.stop("fast")
                faults.append(f"{time.monotonic() - began:.0f}s PostgreSQL stopped (fast)")
                time.sleep(4)
                postgres.start()
                faults.append(f"{time.monotonic() - began:.0f}s PostgreSQL started")
            if at(32):
                faulted.add("worker")
                worker.kill()
                faults.append(f"{time.monotonic() - began:.0f}s worker SIGKILL")
                time.sleep(4)
                worker.start()
                faulted.discard("worker")
                faults.append(f"{time.monotonic() - began:.0f}s worker restarted")
            if at(40):
                smtp.refuse_for(options.smtp_refuse_seconds)
                faults.append(
                    f"{time.monotonic() - began:.0f}s SMTP refuses for "
                    f"{options.smtp_refuse_seconds:.0f}s"
                )
            if at(50):
                redis.stop()
                cache_redis.stop()
                faults.append(f"{time.monotonic() - began:.0f}s Redis (broker and cache) stopped")
                time.sleep(2)
                redis.start()
                cache_redis.start()
                faults.append(f"{time.monotonic() - began:.0f}s Redis started")

        told: dict[int, str] = {}  # family index → the status its registration page showed
        skip_confirm = {i for i in range(len(families)) if i % 20 == 7}  # 5 % leave the hold

        def family(index: int, dossier: int) -> Callable[[], None]:
            def task() -> None:
                browser = browsers[index]
                status, text = browser.send("GET", start)
                expect(status, text, 200, "step who")
                form = {
                    "csrfmiddlewaretoken": TOKEN.search(text).group(1),
                    "step": "who",
                    "q": "",
                    "participants": str(dossier),
                }
                status, text = browser.send("POST", start, form)
                expect(status, text, 302, "post who")
                status, text = browser.send("GET", f"{start}?step=details")
                expect(status, text, 302, "step details (no questions)")
                status, text = browser.send("GET", f"{start}?step=review")
                expect(status, text, 200, "step review")
                submit = {
                    "csrfmiddlewaretoken": TOKEN.search(text).group(1),
                    "step": "review",
                    "key": KEY.search(text).group(1),
                }
                status, text = browser.send("POST", start, submit)
                expect(status, text, 302, "submit")
                if "/inscriptions/resultat/" not in text:
                    raise RuntimeError(f"submit redirected to {text!r}")
                registration, outcome = registration_of(text.rstrip("/").rsplit("/", 1)[-1])
                if outcome != "held" or index in skip_confirm or registration is None:
                    told[index] = outcome
                    return
                status, text = browser.send("GET", f"/inscriptions/{registration}/")
                expect(status, text, 200, "registration page")
                token = TOKEN.search(text).group(1)
                status, text = browser.send(
                    "POST",
                    f"/inscriptions/{registration}/confirmer/",
                    {"csrfmiddlewaretoken": token},
                )
                expect(status, text, 302, "confirm")
                status, text = browser.send("GET", f"/inscriptions/{registration}/")
                expect(status, text, 200, "registration page after confirming")
                told[index] = "confirmed" if "<dd>Confirmée</dd>" in text else "other"

            return task

        lock = threading.Lock()

        def run(task: Callable[[], None]) -> None:
            try:
                task()
            except Exception as error:  # noqa: BLE001 (counted and shown)
                with lock:
                    tally.errors.append(repr(error)[:300])

        began = time.monotonic()
        injector = threading.Thread(target=inject, daemon=True)
        injector.start()
        with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
            list(pool.map(run, [family(i, d) for i, (d, _, _) in enumerate(families)]))
        rush_seconds = time.monotonic() - began
        log(f"rush over in {rush_seconds:.0f} s; waiting for the faults' timeline to end")
        injector.join()
        done.set()
        for fault in faults:
            log(f"  fault: {fault}")

        # Sessions after the Redis restart (each family's own).
        time.sleep(3)
        sessions_ok = 0
        for browser in browsers[:100]:
            status, _ = browser.send("GET", "/compte/securite/")
            sessions_ok += status == 200

        # Emails: every confirmed registration's confirmation, at least once.
        close_old_connections()
        from django.db.models import Count

        from guichet.catalog.models import Offering
        from guichet.registrations.models import Registration, RegistrationStatus

        confirmed = set(
            Registration.objects.filter(
                offering_id=offering_id, status=RegistrationStatus.CONFIRMED
            ).values_list("registered_by__email", flat=True)
        )
        deadline = time.monotonic() + options.email_wait
        while time.monotonic() < deadline:
            with smtp.lock:
                got = Counter(to for to, subject in smtp.received if "confirmée" in subject)
            if confirmed <= set(got):
                break
            time.sleep(5)
        missing = confirmed - set(got)
        duplicates = sum(n - 1 for n in got.values() if n > 1)

        # The holds left unconfirmed: freed by beat's sweeper (hold of one minute).
        deadline = time.monotonic() + 200
        while time.monotonic() < deadline:
            close_old_connections()
            left = Registration.objects.filter(
                offering_id=offering_id, status=RegistrationStatus.HELD
            ).count()
            if left == 0:
                break
            time.sleep(5)

        # Throughput of a signed-in page: through the cluster, then one app server alone.
        def throughput(port: int, seconds: float = 15) -> float:
            own = Tally()
            clients = [Browser(port, {cookie: key}, own) for _, key, _ in families[:40]]
            stop_at = time.monotonic() + seconds
            answered = Counter()

            def loop(browser: Browser) -> None:
                while time.monotonic() < stop_at:
                    status, _ = browser.send("GET", "/compte/securite/")
                    answered[status == 200] += 1

            with ThreadPoolExecutor(max_workers=len(clients)) as pool:
                list(pool.map(loop, clients))
            return answered[True] / seconds

        cluster_rate = throughput(lb_port)
        single_rate = throughput(app_ports[1])

        # The verdict.
        close_old_connections()
        offering = Offering.objects.get(pk=offering_id)
        by_status = dict(
            Registration.objects.filter(offering_id=offering_id)
            .values_list("status")
            .annotate(n=Count("id"))
        )
        per_dossier = Counter(
            Registration.objects.filter(offering_id=offering_id).values_list(
                "participant_id", flat=True
            )
        )
        taken = sum(by_status.get(s, 0) for s in RegistrationStatus.HOLDS_SPOT)
        oversold = max(0, offering.spots_taken - offering.capacity, taken - offering.capacity)
        confirmed_dossiers = set(
            Registration.objects.filter(
                offering_id=offering_id, status=RegistrationStatus.CONFIRMED
            ).values_list("participant_id", flat=True)
        )
        told_confirmed = {families[i][0] for i, said in told.items() if said == "confirmed"}
        wrongly_told = [
            d for d in told_confirmed if per_dossier[d] != 1 or d not in confirmed_dossiers
        ]
        untold = confirmed_dossiers - told_confirmed
        print()
        print("== Cluster test (2 app servers behind HAProxy, PostgreSQL, Redis, Celery)")
        print(f"families {len(families)}, spots {offering.capacity}, rush {rush_seconds:.0f} s")
        print(f"registrations by status: {dict(sorted(by_status.items()))}")
        print(f"oversold: {oversold} (spots_taken {offering.spots_taken})")
        print(
            f"families told « Confirmée »: {len(told_confirmed)}; with not exactly one "
            f"confirmed registration: {len(wrongly_told)}; confirmed but never told: {len(untold)}"
        )
        print(f"HTTP answers: {dict(sorted(tally.statuses.items()))}")
        print(
            f"500s: {tally.statuses.get(500, 0)}; 503 « réessayez »: {tally.statuses.get(503, 0)}; "
            f"load balancer 502/504: {tally.statuses.get(502, 0) + tally.statuses.get(504, 0)}; "
            f"connections refused/reset: {tally.connection_errors}; retries: {tally.retries}"
        )
        print(f"families that gave up or failed: {len(tally.errors)}")
        for error in tally.errors[:5]:
            print(f"  {error}")
        print(
            f"confirmation emails: {len(confirmed) - len(missing)}/{len(confirmed)} delivered, "
            f"duplicates {duplicates}, SMTP refusals while refusing {smtp.refused}"
        )
        if missing:
            print(f"  confirmations never received: {', '.join(sorted(missing)[:10])}")
        print(f"holds left unconfirmed and not freed by the sweeper: {left}")
        print(f"sessions valid after the Redis restart: {sessions_ok}/100")
        restarted = {p.name: p.restarts for p in (*apps, worker, beat) if p.restarts}
        print(f"processes that exited on their own and were restarted: {restarted or 'none'}")
        print(
            f"throughput GET /compte/securite/ (40 clients): cluster {cluster_rate:.0f}/s, "
            f"one app server alone {single_rate:.0f}/s (2 cores shared: no CPU to gain here)"
        )
        checks = {
            "0 oversold": oversold == 0,
            "no 500": tally.statuses.get(500, 0) == 0,
            "families told « Confirmée » have exactly one, confirmed": not wrongly_told,
            "every confirmed registration was told": not untold,
            "every confirmation email delivered": not missing,
            "holds freed by the sweeper": left == 0,
            "sessions valid after the Redis restart": sessions_ok == 100,
            "every family finished": not tally.errors,
        }
        for name, ok in checks.items():
            print(f"  [{'ok' if ok else 'FAILED'}] {name}")
            if not ok:
                failures.append(name)
        print(f"{len(checks) - len(failures)} passed, {len(failures)} failed")
        connections.close_all()
    finally:
        supervising.clear()
        for process in everything:
            process.stop()
        smtp.controller.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop("immediate")
        if not options.keep and not failures:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            log(f"logs kept in {folder}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""What the HTTP benches share (bench_http_flow.py, bench_http_rush.py, bench_submit_cost.py,
profile_pages.py): the throwaway database, the environment of the served site, gunicorn's
start and stop, the signed-in people (accounts, dossiers, sessions written as a sign-in
would), and the server's CPU read from /proc."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


# The throwaway database --------------------------------------------------------------------
def throwaway_database(url: str) -> tuple[str, str, str] | None:
    """(server url to connect to, throwaway url, throwaway name), or None if not PostgreSQL."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        return None
    parts = parts._replace(scheme="postgresql")
    name = f"{(parts.path.lstrip('/') or 'guichet')[:40]}_http_{secrets.token_hex(3)}"
    return urlunsplit(parts), urlunsplit(parts._replace(path=f"/{name}")), name


def admin_sql(server_url: str, statement: str) -> None:
    """CREATE/DROP DATABASE from the named database, or from « postgres » if it is absent."""
    fallback = urlunsplit(urlsplit(server_url)._replace(path="/postgres"))
    try:
        connection = psycopg.connect(server_url, autocommit=True)
    except psycopg.OperationalError:
        connection = psycopg.connect(fallback, autocommit=True)
    with connection:
        connection.execute(statement)


def served_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of the site under test: production-like (DEBUG off, persistent
    database connections as README « In production » says), a secret made for the run."""
    return {
        **os.environ,
        "GUICHET_DATABASE_URL": database_url,
        "GUICHET_DATA_DIR": str(data_dir),
        "GUICHET_DEBUG": "0",
        "GUICHET_SECRET_KEY": secrets.token_urlsafe(50),
        "GUICHET_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUICHET_DATABASE_CONN_MAX_AGE": "60",
        "GUICHET_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
    }


# Django side: the signed-in people, in this process ------------------------------------------
@dataclass(frozen=True)
class Person:
    account: Any
    dossier: Any
    session_key: str


def signed_in_people(families: int) -> list[Person]:
    """``families`` accounts, each holding a dossier and signed in: the session is written
    in the session store as a sign-in would (``_auth_user_id``, ``_auth_user_backend``,
    ``_auth_user_hash``). Passwords play no part."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from guichet.accounts.models import Account
    from guichet.dossiers.models import Dossier, DossierLink, LinkMethod, LinkRole

    accounts = Account.objects.bulk_create(
        Account(
            email=f"famille{n}@banc.exemple.ca",
            first_name="Famille",
            last_name=str(n),
            password=UNUSABLE_PASSWORD_PREFIX + "banc",
        )
        for n in range(families)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(number=f"B{n:06d}", first_name="Famille", last_name=str(n)) for n in range(families)
    )
    DossierLink.objects.bulk_create(
        DossierLink(account=a, dossier=d, role=LinkRole.HOLDER, method=LinkMethod.STAFF)
        for a, d in zip(accounts, dossiers, strict=True)
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    people = []
    for account, dossier in zip(accounts, dossiers, strict=True):
        session = store()
        session[SESSION_KEY] = str(account.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = account.get_session_auth_hash()
        session.create()
        people.append(Person(account, dossier, session.session_key))
    return people


def forget_sessions(keys: list[str]) -> None:
    """Sessions kept outside the throwaway database (Redis) are deleted too."""
    from importlib import import_module

    from django.conf import settings

    if settings.SESSION_ENGINE.endswith(".db"):
        return  # dropped with the database
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()


# gunicorn ------------------------------------------------------------------------------------
def free_port() -> int:
    """``BENCH_PORT`` when set (several people benchmarking on one machine), else any free."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    port: int,
    env: dict[str, str],
    log: Path,
    *,
    workers: int = 4,
    worker_class: str = "sync",
    threads: int = 1,
) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "guichet.wsgi:application",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--backlog=2048",
        "--timeout=60",
    ]
    return subprocess.Popen(  # noqa: S603 (fixed command)
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def wait_ready(server: subprocess.Popen, port: int, log: Path) -> None:
    """Until gunicorn answers the sign-in page (180 s at most: on a crowded machine four
    workers importing Django at once took more than a minute)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log}:\n{log.read_text()[-2000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/compte/login/")
            status = connection.getresponse().status
        except OSError:
            time.sleep(0.3)
            continue
        finally:
            connection.close()
        if status == 200:
            return
        raise RuntimeError(f"gunicorn answers {status} to /compte/login/; see {log}")
    raise RuntimeError("gunicorn did not start within 180 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# CPU spent by the server side ----------------------------------------------------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of one process (Linux /proc), or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after « (command) »: field 3 is at index 0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class ServerCpu:
    """CPU time of the gunicorn workers and of the PostgreSQL backends serving the throwaway
    database. Unlike requests per second, it barely moves when other processes share the
    cores, so it gives the cost of a request on a noisy machine. The load generator (this
    process) is not counted."""

    def __init__(self, server_pid: int, server_url: str, database: str) -> None:
        self.server_pid, self.server_url, self.database = server_pid, server_url, database

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.server_pid}/task/{self.server_pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def backends(self) -> list[int]:
        with psycopg.connect(self.server_url, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                [self.database],
            ).fetchall()
        return [pid for (pid,) in rows]

    def snapshot(self) -> dict[str, dict[int, float]]:
        def times(pids: list[int]) -> dict[int, float]:
            return {pid: cpu for pid in pids if (cpu := cpu_seconds(pid)) is not None}

        return {"workers": times(self.workers()), "database": times(self.backends())}

    @staticmethod
    def spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict:
        """CPU seconds per side between two snapshots (a process born meanwhile counts whole)."""
        return {
            side: sum(cpu - before[side].get(pid, 0.0) for pid, cpu in after[side].items())
            for side in after
        }

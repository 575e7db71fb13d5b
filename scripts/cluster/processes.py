"""The cluster's processes: PostgreSQL (initdb in the run's folder), the broker's Redis
(append-only file) and the cache's (no persistence), an SMTP sink in this process that can
refuse, two gunicorn app servers behind HAProxy (Debian's package) with readiness checks
on /sante/pret, one Celery worker (late acknowledgement) and beat. Everything on loopback."""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv/bin"


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
        self.port = free_port()
        self.received: list[tuple[str, str]] = []
        self.message_ids: list[tuple[str, str]] = []  # (address, Message-ID) of each copy
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
                        sink.message_ids.append((address.lower(), message.get("Message-ID", "")))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def refuse_for(self, seconds: float) -> None:
        self.refusing_until = time.monotonic() + seconds


@dataclass
class Cluster:
    """Every process of one run, and where it listens."""

    folder: Path
    postgres: Postgres
    smtp: SmtpSink
    env: dict[str, str]
    redis: Process
    cache_redis: Process
    apps: list[Process]
    worker: Process
    beat: Process
    haproxy: Process
    redis_port: int
    cache_port: int
    lb_port: int
    app_ports: list[int]
    faulted: set[str] = field(default_factory=set)  # killed on purpose: not restarted
    supervising: threading.Event = field(default_factory=threading.Event)

    @property
    def everything(self) -> list[Process]:
        return [self.haproxy, *self.apps, self.worker, self.beat, self.redis, self.cache_redis]

    @property
    def supervised(self) -> list[Process]:
        return [*self.apps, self.worker, self.beat]

    def start_redis(self) -> None:
        self.redis.start()
        self.cache_redis.start()
        wait_port(self.redis_port)
        wait_port(self.cache_port)

    def start_guichet(self) -> None:
        for process in (*self.apps, self.worker, self.beat, self.haproxy):
            process.start()
        for port in (*self.app_ports, self.lb_port):
            wait_port(port, 60)
        time.sleep(5)  # HAProxy's first health checks

    def supervise(self) -> None:
        """As the systemd units' Restart=always: a process that exits on its own (not
        killed by a fault) is started again after 2 s, and counted."""
        self.supervising.set()

        def loop() -> None:
            while self.supervising.is_set():
                for process in self.supervised:
                    exited = process.popen is not None and process.popen.poll() is not None
                    if exited and process.name not in self.faulted and self.supervising.is_set():
                        time.sleep(2)
                        process.restarts += 1
                        process.start()
                time.sleep(1)

        threading.Thread(target=loop, daemon=True).start()

    def stop(self) -> None:
        self.supervising.clear()
        for process in self.everything:
            process.stop()
        self.smtp.controller.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            self.postgres.stop("immediate")


def build(folder: Path, options: argparse.Namespace) -> Cluster:
    """PostgreSQL started with its database; the other processes described, not started."""
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
        # This checkout's code, whatever package the shared virtualenv has installed.
        "PYTHONPATH": str(ROOT),
        "GUICHET_DATABASE_URL": postgres.url("guichet"),
        "GUICHET_DATABASE_CONN_MAX_AGE": "60",
        "GUICHET_REDIS_URL": redis_url,
        # The cache in a Redis of its own that keeps nothing (docs/deployment.md).
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
    return Cluster(
        folder=folder,
        postgres=postgres,
        smtp=smtp,
        env=env,
        redis=redis,
        cache_redis=cache_redis,
        apps=apps,
        worker=worker,
        beat=beat,
        haproxy=haproxy,
        redis_port=redis_port,
        cache_port=cache_port,
        lb_port=lb_port,
        app_ports=app_ports,
    )

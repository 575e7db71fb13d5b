"""The cluster test: Guichet as a cluster behind a load balancer, through a registration
rush, surviving the faults of a registration day (`make cluster-test`, docs/deployment.md).

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
Exit status 0 when every assertion holds. The parts are in scripts/cluster/: the
processes, the faults, the rush, the checks and the report.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from cluster import checks, faults, processes, report, rush
from cluster.processes import ROOT, log


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--spots", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--smtp-refuse-seconds", type=float, default=60)
    parser.add_argument("--email-wait", type=float, default=420, help="seconds, at most")
    parser.add_argument("--keep", action="store_true", help="keep the folder with the logs")
    return parser.parse_args()


def main() -> int:
    given = options()
    folder = Path(tempfile.mkdtemp(prefix="guichet-cluster-"))
    os.chmod(folder, 0o755)  # noqa: S103 (PostgreSQL's user must reach its folder)
    log(f"cluster in {folder} (logs there)")
    for tool in ("haproxy", "redis-server"):
        if not shutil.which(tool):
            log(f"{tool} is missing: scripts/cluster-test.sh installs Debian's package")
            return 2
    cluster = processes.build(folder, given)
    os.environ.update(cluster.env)
    sys.path.insert(0, str(ROOT))
    failures: list[str] = []
    try:
        cluster.start_redis()
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        slug, offering_id, families = rush.prepare(given.families, given.spots)
        connections.close_all()
        cluster.start_guichet()
        cluster.supervise()
        tally = rush.Tally()
        cookie = settings.SESSION_COOKIE_NAME
        browsers = [rush.Browser(cluster.lb_port, {cookie: key}, tally) for _, key, _ in families]
        status, text = browsers[0].send("GET", "/compte/securite/")
        rush.expect(status, text, 200, "a prepared session through the load balancer")
        log(
            f"{len(families)} families, {given.spots} spots, concurrency "
            f"{given.concurrency}, 2 app servers × {given.workers} workers × "
            f"{given.threads} threads behind HAProxy on 127.0.0.1:{cluster.lb_port}"
        )

        # The faults, on their own thread, while the families register.
        done = threading.Event()
        happened: list[str] = []
        injector = threading.Thread(
            target=faults.inject,
            args=(cluster, time.monotonic(), done, happened, given.smtp_refuse_seconds),
            daemon=True,
        )
        injector.start()
        rushed = rush.run(families, browsers, slug, tally, given.concurrency)
        log(f"rush over in {rushed.seconds:.0f} s; waiting for the faults' timeline to end")
        injector.join()
        done.set()

        sessions_ok = checks.sessions_valid(browsers)
        emails = checks.confirmations(offering_id, cluster.smtp, given.email_wait)
        holds_left = checks.holds_left(offering_id)
        cluster_rate = rush.throughput(cluster.lb_port, cookie, families)
        single_rate = rush.throughput(cluster.app_ports[1], cookie, families)
        found = checks.registrations(offering_id, families, rushed.told)
        failures = report.verdict(
            cluster,
            len(families),
            rushed,
            tally,
            happened,
            found,
            emails,
            holds_left,
            sessions_ok,
            cluster_rate,
            single_rate,
        )
        connections.close_all()
    finally:
        cluster.stop()
        if not given.keep and not failures:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            log(f"logs kept in {folder}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""The figures printed at the end of the cluster test, and the verdict."""

from __future__ import annotations

from cluster.checks import Emails, Registrations
from cluster.processes import Cluster
from cluster.rush import Rush, Tally


def verdict(
    cluster: Cluster,
    families: int,
    rush: Rush,
    tally: Tally,
    faults: list[str],
    found: Registrations,
    emails: Emails,
    holds_left: int,
    sessions_ok: int,
    cluster_rate: float,
    single_rate: float,
) -> list[str]:
    """Print everything; return the names of the checks that failed."""
    print()
    print("== Cluster test (2 app servers behind HAProxy, PostgreSQL, Redis, Celery)")
    print(f"families {families}, spots {found.capacity}, rush {rush.seconds:.0f} s")
    for fault in faults:
        print(f"fault: {fault}")
    print(f"registrations by status: {dict(sorted(found.by_status.items()))}")
    print(f"oversold: {found.oversold} (spots_taken {found.spots_taken})")
    print(
        f"families told « Confirmée »: {len(found.told_confirmed)}; with not exactly one "
        f"confirmed registration: {len(found.wrongly_told)}; confirmed but never told: "
        f"{len(found.untold)}"
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
        f"confirmation emails: {emails.expected - len(emails.missing)}/{emails.expected} "
        f"delivered, duplicates {emails.duplicates} (of which one message sent twice, the "
        f"same Message-ID: {emails.same_message}), SMTP refusals while refusing "
        f"{cluster.smtp.refused}"
    )
    if emails.missing:
        print(f"  confirmations never received: {', '.join(sorted(emails.missing)[:10])}")
    print(f"holds left unconfirmed and not freed by the sweeper: {holds_left}")
    print(f"sessions valid after the Redis restart: {sessions_ok}/100")
    restarted = {p.name: p.restarts for p in cluster.supervised if p.restarts}
    print(f"processes that exited on their own and were restarted: {restarted or 'none'}")
    print(
        f"throughput GET /compte/securite/ (40 clients): cluster {cluster_rate:.0f}/s, "
        f"one app server alone {single_rate:.0f}/s (2 cores shared: no CPU to gain here)"
    )
    checks = {
        "0 oversold": found.oversold == 0,
        "no 500": tally.statuses.get(500, 0) == 0,
        "families told « Confirmée » have exactly one, confirmed": not found.wrongly_told,
        "every confirmed registration was told": not found.untold,
        "every confirmation email delivered": not emails.missing,
        "holds freed by the sweeper": holds_left == 0,
        "sessions valid after the Redis restart": sessions_ok == 100,
        "every family finished": not tally.errors,
    }
    failures = []
    for name, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAILED'}] {name}")
        if not ok:
            failures.append(name)
    print(f"{len(checks) - len(failures)} passed, {len(failures)} failed")
    return failures

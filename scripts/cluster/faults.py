"""The faults of a registration day, on their own thread while the families register:

1. app server 1 is killed (SIGKILL) and restarted (8 s into the rush);
2. PostgreSQL is restarted (fast shutdown, then start) (20 s);
3. the Celery worker is killed (SIGKILL) while it sends confirmations, then restarted (32 s);
4. the SMTP server refuses every message for a while (40 s, ``--smtp-refuse-seconds``);
5. both Redis are restarted (50 s).
"""

from __future__ import annotations

import threading
import time

from cluster.processes import Cluster


def inject(
    cluster: Cluster,
    began: float,
    done: threading.Event,
    faults: list[str],
    smtp_refuse_seconds: float,
) -> None:
    """Each fault at its second since ``began``, unless the rush is ``done``; what
    happened, and when, appended to ``faults``."""
    apps, worker, postgres = cluster.apps, cluster.worker, cluster.postgres
    faulted = cluster.faulted

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
        cluster.smtp.refuse_for(smtp_refuse_seconds)
        faults.append(
            f"{time.monotonic() - began:.0f}s SMTP refuses for {smtp_refuse_seconds:.0f}s"
        )
    if at(50):
        cluster.redis.stop()
        cluster.cache_redis.stop()
        faults.append(f"{time.monotonic() - began:.0f}s Redis (broker and cache) stopped")
        time.sleep(2)
        cluster.redis.start()
        cluster.cache_redis.start()
        faults.append(f"{time.monotonic() - began:.0f}s Redis started")

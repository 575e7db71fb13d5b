"""What the whole-flow bench measures besides the flow: percentiles, a phase of trivial pages,
and the server's CPU (gunicorn's workers and PostgreSQL's backends) over a phase
(bench_http_flow.py)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
import psycopg
from support import ServerCpu, cpu_seconds

if TYPE_CHECKING:
    from bench_http_flow import Browser


# Statistics ----------------------------------------------------------------------------------
def percentiles(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000

    return f"p50 {at(0.50):.0f} ms, p95 {at(0.95):.0f} ms, p99 {at(0.99):.0f} ms"


@dataclass
class Simple:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    duration: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.duration if self.duration else 0.0

    def cpu_ms(self, count: int | None = None, side: str | None = None) -> float:
        count = len(self.latencies) if count is None else count
        if not count or not self.cpu:
            return 0.0
        return (self.cpu[side] if side else sum(self.cpu.values())) / count * 1000

    def report(self) -> None:
        print(
            f"{self.name}: {len(self.latencies)} in {self.duration:.1f} s = {self.rate:.0f}/s; "
            f"{percentiles(self.latencies)}; errors {self.errors}; server CPU "
            f"{self.cpu_ms():.1f} ms per request (workers {self.cpu_ms(side='workers'):.1f}, "
            f"PostgreSQL {self.cpu_ms(side='database'):.1f})"
        )


def trivial_phase(
    name: str,
    path: str,
    browsers: list[Browser],
    rounds: int,
    concurrency: int,
    meter: ServerCpu,
) -> Simple:
    phase = Simple(f"{name} GET {path}")
    lock = threading.Lock()

    def one(index: int) -> None:
        begin = time.perf_counter()
        try:
            response = browsers[index % len(browsers)].client.get(path)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        with lock:
            if ok:
                phase.latencies.append(time.perf_counter() - begin)
            else:
                phase.errors += 1

    with Meter(meter) as measured:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(one, range(len(browsers) * rounds)))
        phase.duration = time.perf_counter() - started
    phase.cpu = measured.spent()
    return phase


class Meter:
    """The server's CPU over a phase: gunicorn's workers and the PostgreSQL backends of the
    throwaway database, read from /proc every half second. A backend can end within a phase
    (persistent connections are renewed after ``CONN_MAX_AGE``): its last reading still
    counts, where a before/after difference would lose it."""

    def __init__(self, cpu: ServerCpu) -> None:
        self.cpu = cpu
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self._stop = threading.Event()

    def _read(self, connection: psycopg.Connection, initial: bool) -> None:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
            [self.cpu.database],
        ).fetchall()
        pids = [("workers", pid) for pid in self.cpu.workers()]
        pids += [("database", pid) for (pid,) in rows]
        for key in pids:
            seconds = cpu_seconds(key[1])
            if seconds is None:
                continue
            self.first.setdefault(key, seconds if initial else 0.0)
            self.last[key] = seconds

    def __enter__(self) -> Meter:
        self._connection = psycopg.connect(self.cpu.server_url, autocommit=True)
        self._read(self._connection, initial=True)

        def loop() -> None:
            while not self._stop.wait(0.5):
                self._read(self._connection, initial=False)

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._read(self._connection, initial=False)
        self._connection.close()

    def spent(self) -> dict[str, float]:
        sides: dict[str, float] = {"workers": 0.0, "database": 0.0}
        for key, seconds in self.last.items():
            sides[key[0]] += seconds - self.first[key]
        return sides


# The targets of issue 13 -------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    wanted: str
    figure: str
    met: bool

    def line(self) -> str:
        return f"  target {self.wanted}: {self.figure} — {'MET' if self.met else 'NOT MET'}"


def percentile(values: list[float], fraction: float) -> float:
    """Seconds; 0 for no value."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def targets(
    *,
    attempts_rate: float,
    attempt_times: list[float],
    decisive_times: list[float],
    oversold: int,
    lost: int,
    five_hundreds: int,
    trivial_rate: float,
    cpu_per_attempt_ms: float,
    home_rate: float,
) -> list[Target]:
    """Each target of the reference workload (docs/benchmarks.md) beside this run's figure.
    Rates and latencies only mean something on a quiet machine with the reference workload;
    CPU per attempt suffers least from a crowded one."""
    p95 = percentile(attempt_times, 0.95)
    p99 = percentile(decisive_times, 0.99)
    ratio = attempts_rate / trivial_rate if trivial_rate else 0.0
    home = home_rate / trivial_rate if trivial_rate else 0.0
    return [
        Target("full attempts/s ≥ 60", f"{attempts_rate:.1f}/s", attempts_rate >= 60),
        Target("attempt p95 < 1.5 s", f"{p95:.2f} s", bool(attempt_times) and p95 < 1.5),
        Target(
            "decisive POST p99 < 500 ms", f"{p99 * 1000:.0f} ms", bool(decisive_times) and p99 < 0.5
        ),
        Target(
            "0 oversold, 0 lost, 0 5xx",
            f"{oversold}, {lost}, {five_hundreds}",
            not (oversold or lost or five_hundreds),
        ),
        Target("full attempts/s ≥ 0.18 × the trivial page's", f"{ratio:.3f}", ratio >= 0.18),
        Target(
            "server CPU per attempt < 35 ms",
            f"{cpu_per_attempt_ms:.1f} ms",
            0 < cpu_per_attempt_ms < 35,
        ),
        Target("« Mon dossier » home ≥ the security page's rate", f"{home:.2f} ×", home >= 1.0),
    ]

"""`make bench` on a fresh machine: with no database given it starts its own throwaway
PostgreSQL (as `make test` does) and runs the registration rush instead of skipping it."""

from __future__ import annotations

import glob
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/initdb"),
    reason="Debian's postgresql is not installed (scripts/run-tests.sh installs it)",
)
def test_bench_runs_the_rush_on_a_throwaway_postgresql_when_no_database_is_given(tmp_path):
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GUICHET_", "DJANGO_"))
    }
    environment["GUICHET_DATA_DIR"] = str(tmp_path)
    small_rush = ["--families", "30", "--spots", "10", "--concurrency", "5", "--workers", "1"]

    result = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        ["bash", "scripts/run-bench.sh", "bench/bench_http_rush.py", *small_rush],  # noqa: S607
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "skipped" not in output
    assert "registration submit POST" in output
    assert "capacity 10, spots_taken 10, held+confirmed 10, waiting list 20, oversold 0" in output
    cluster = re.search(r"Throwaway PostgreSQL cluster in (\S+)", output)
    assert cluster is not None, output
    assert not Path(cluster.group(1)).exists()  # stopped and removed at the end


@pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/initdb"),
    reason="Debian's postgresql is not installed (scripts/run-tests.sh installs it)",
)
def test_bench_runs_the_whole_flow_and_checks_each_outcome_against_the_database(tmp_path):
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GUICHET_", "DJANGO_"))
    }
    environment["GUICHET_DATA_DIR"] = str(tmp_path)
    small = ["--families", "30", "--spots", "10", "--concurrency", "5", "--workers", "1"]

    result = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        ["bash", "scripts/run-bench.sh", "bench/bench_http_flow.py", *small],  # noqa: S607
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "families 30 (3 with a prepared cart), spots 10" in output
    assert "10 told « inscrit »" in output and "20 told « liste d'attente »" in output
    assert "errors: 5xx 0, timeouts 0, failed attempts 0" in output
    assert "spots_taken 10, holding 10, waiting list 20, oversold 0, lost 0" in output
    for figure in ("attempts/s", "successes/s while selling", "server CPU per attempt"):
        assert figure in output
    assert "ratio whole attempts/s to the trivial page's" in output
    assert "secondary — decisive POSTs alone" in output
    # Each target beside its figure, and again at the end of the run.
    assert "== targets of registration day" in output
    for target in ("full attempts/s ≥ 60", "server CPU per attempt < 35 ms"):
        assert f"  target {target}: " in output
    assert re.search(r"target 0 oversold, 0 lost, 0 5xx: 0, 0, 0 — MET", output), output

"""An analyst's reader opening the warehouse while a run is under way (real CLI): at the flow's start the run
is refused in one line naming the reader; at the load, the run says it is waiting for that reader, and
completes once it is gone. No Prefect traceback either way."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import cli_env, copy_expectations
from tests.helpers.paths import BIN, ROOT, SEEDS
from tests.helpers.processes import descendants

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _start(tmp_path: Path, db: Path, env: dict | None = None) -> tuple[subprocess.Popen, list[str]]:
    copy_expectations(tmp_path / "expectations")
    run = subprocess.Popen([str(BIN / "newsetl"), "run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress"],
                           cwd=ROOT, env={**cli_env(tmp_path), **(env or {})}, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(run.stderr), daemon=True)
    reader.start()
    run.stderr_reader = reader
    return run, errors


def _finish(run: subprocess.Popen) -> str:
    """Wait for the run; its stdout, once its stderr has been read to the end."""
    run.wait(timeout=180)
    run.stderr_reader.join(timeout=10)
    return run.stdout.read()


def _wait_until(predicate, run: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert run.poll() is None and time.monotonic() < deadline, "the run ended or never got there"
        time.sleep(0.02)


def _workers(pid: int) -> int:
    return sum(b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes() for p in descendants(pid)
               if Path(f"/proc/{p}/cmdline").exists())


def _empty_warehouse(db: Path) -> None:
    duckdb.connect(str(db)).close()  # exists, so that a reader can open it before the run writes anything


def test_a_reader_at_the_flows_start_refuses_the_run_in_one_line(tmp_path):
    db = tmp_path / "news.duckdb"
    _empty_warehouse(db)
    run, errors = _start(tmp_path, db)
    try:
        _wait_until(lambda: _workers(run.pid) >= 1, run)  # the CLI's checks passed; Prefect is starting
        reader = duckdb.connect(str(db), read_only=True)
        try:
            out = _finish(run)
        finally:
            reader.close()
    finally:
        run.kill()
    assert run.returncode == 1, out + "".join(errors)
    assert len(errors) == 1, "".join(errors)
    assert errors[0].startswith("newsetl: run ") and "refused" in errors[0] and f"PID {os.getpid()}" in errors[0]


def test_a_reader_at_the_load_is_waited_for_out_loud(tmp_path):
    db = tmp_path / "news.duckdb"
    _empty_warehouse(db)
    run, errors = _start(tmp_path, db, {"NEWSETL_WORKERS": "2", "NEWSETL_DOCS_PER_WORKER": "1"})
    try:
        _wait_until(lambda: _workers(run.pid) >= 3, run)  # validation and extraction workers: past the flow's checks
        reader = duckdb.connect(str(db), read_only=True)
        try:
            _wait_until(lambda: any("waiting up to" in line for line in errors), run)
            time.sleep(1)
        finally:
            reader.close()
        out = _finish(run)
    finally:
        run.kill()
    assert run.returncode == 0, out + "".join(errors)
    assert len(errors) == 1, "".join(errors)
    assert errors[0].startswith(f"newsetl: waiting up to 30s for PID {os.getpid()} ") and str(db) in errors[0]
    assert out.startswith("run ") and ": completed" in out.splitlines()[0]


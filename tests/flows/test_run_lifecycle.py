"""A run's life as a process: killed during its load transaction it leaves the previous warehouse, two
runs never write at once, `watch` runs once per change and `serve` on its schedule (all through the real
CLI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BIN, ROOT, cli_env, copy_expectations, table_snapshot
from tests.flows.test_incremental import _edit, _last_run, _run, _scratch, _seeds_copy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _start_paused_run(root: Path, seeds: Path, db: Path, pause: float) -> subprocess.Popen:
    env = cli_env(root)
    env["NEWSETL_FAULT_PAUSE_BEFORE_COMMIT"] = str(pause)
    process = subprocess.Popen([str(BIN / "newsetl"), "run", "--seeds", str(seeds), "--db", str(db), "--no-progress"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    for line in process.stderr:  # wait until the run is inside its load transaction
        if "pausing" in line and "before COMMIT" in line:
            return process
        assert time.monotonic() < deadline
    raise AssertionError("the run ended before reaching its load transaction: " + process.stdout.read())


def test_kill_during_load_leaves_the_previous_state_and_the_next_run_completes(tmp_path):
    root = tmp_path
    copy_expectations(root / "expectations")
    seeds, db = _seeds_copy(root / "seeds"), root / "news.duckdb"
    _run(root, seeds, db)
    before = table_snapshot(db)
    _edit(seeds)
    process = _start_paused_run(root, seeds, db, pause=120)
    process.kill()  # SIGKILL inside the transaction, before COMMIT
    process.wait()
    assert table_snapshot(db) == before
    _run(root, seeds, db)
    assert _last_run(db)["documents_processed"] == 1
    scratch = shutil.copytree(seeds, root / "scratch")
    assert table_snapshot(db) == table_snapshot(_scratch(root, scratch, "kill"))


def test_two_concurrent_runs_never_both_write(tmp_path):
    root = tmp_path
    copy_expectations(root / "expectations")
    seeds, db = _seeds_copy(root / "seeds"), root / "news.duckdb"
    first = _start_paused_run(root, seeds, db, pause=10)  # the second run is refused within a second or two
    second = subprocess.run([str(BIN / "newsetl"), "run", "--seeds", str(seeds), "--db", str(db), "--no-progress"],
                            cwd=ROOT, env=cli_env(root), capture_output=True, text=True, timeout=300)
    first_out, _ = first.communicate(timeout=300)
    assert first.returncode == 0, first_out
    first_run_id = first_out.split("run ", 1)[1].split(":", 1)[0]
    assert second.returncode == 3
    assert "another run is writing" in second.stderr and first_run_id in second.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert [r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()] == [first_run_id]


def _runs(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.IOException:  # the run is writing right now
        return []
    try:
        return con.execute("SELECT status, documents_processed FROM runs ORDER BY started_at").fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def _wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(1)


def test_watch_runs_once_per_change(tmp_path):
    copy_expectations(tmp_path / "expectations")
    seeds, db = _seeds_copy(tmp_path / "seeds"), tmp_path / "news.duckdb"
    watcher = subprocess.Popen([str(BIN / "newsetl"), "watch", "--seeds", str(seeds), "--db", str(db), "--poll", "0.5",
                                "--debounce", "1", "--max-runs", "2"], cwd=ROOT, env=cli_env(tmp_path),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(lambda: len(_runs(db)) == 1, 240)
        _edit(seeds)
        out, _ = watcher.communicate(timeout=240)
    finally:
        watcher.kill()
    assert watcher.returncode == 0, out
    assert _runs(db) == [("completed", 5), ("completed", 1)]


def test_serve_fires_on_its_schedule(tmp_path):
    copy_expectations(tmp_path / "expectations")
    seeds, db = _seeds_copy(tmp_path / "seeds"), tmp_path / "news.duckdb"
    env = cli_env(tmp_path)  # with the session's Prefect server, whose scheduler looks every 5 s
    env.update(PREFECT_RUNNER_POLL_FREQUENCY="2")
    server = subprocess.Popen([str(BIN / "newsetl"), "serve", "--seeds", str(seeds), "--db", str(db), "--interval",
                               "15", "--port", "4317"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        _wait_for(lambda: len(_runs(db)) >= 2, 300)
    finally:
        os.killpg(server.pid, 15)
        out, _ = server.communicate(timeout=120)
    runs = _runs(db)
    assert runs[0] == ("completed", 5) and runs[1] == ("noop", 0), out

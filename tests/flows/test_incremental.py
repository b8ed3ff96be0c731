"""Re-ingestion through the real CLI: only what changed is processed, derived tables stay what a run from
scratch would give, a run killed during load leaves the previous warehouse intact, and two runs never
write at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BIN, ROOT, SEEDS, cli_env, copy_expectations, run_cli, table_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
EDITED = "002_f850821807b8f090.txt"
DELETED = "001_26c62c5d89ea49d3.txt"


def _seeds_copy(target: Path) -> Path:
    shutil.copytree(SEEDS, target)
    return target


def _run(root: Path, seeds: Path, db: Path) -> subprocess.CompletedProcess:
    result = run_cli(["run", "--seeds", str(seeds), "--db", str(db), "--no-progress"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _last_run(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("SELECT * FROM runs ORDER BY started_at DESC LIMIT 1")
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchall()[0]))
    finally:
        con.close()


def _edit(seeds: Path) -> None:
    path = seeds / EDITED
    path.write_text(path.read_text(encoding="utf-8").replace("fragile ceasefire", "shaky ceasefire"),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """One warehouse taken through: full run, unchanged re-run, one edit, one deletion; plus from-scratch
    runs of the edited and the reduced folders to compare with."""
    root = tmp_path_factory.mktemp("incremental")
    seeds, db = _seeds_copy(root / "seeds"), root / "news.duckdb"
    out = {"first": _run(root, seeds, db)}
    out["after_first"] = table_snapshot(db)
    out["noop"] = (_run(root, seeds, db), _last_run(db), table_snapshot(db))
    _edit(seeds)
    out["edit"] = (_run(root, seeds, db), _last_run(db), table_snapshot(db))
    scratch_seeds = shutil.copytree(seeds, root / "scratch_edit")
    out["edit_scratch"] = table_snapshot(_scratch(root, scratch_seeds, "edit"))
    (seeds / DELETED).unlink()
    out["delete"] = (_run(root, seeds, db), _last_run(db), table_snapshot(db))
    out["delete_scratch"] = table_snapshot(_scratch(root, shutil.copytree(seeds, root / "scratch_delete"), "delete"))
    return out


def _scratch(root: Path, seeds: Path, name: str) -> Path:
    db = root / f"scratch_{name}.duckdb"
    _run(root, seeds, db)
    return db


def test_unchanged_rerun_processes_nothing(history):
    _, run, snapshot = history["noop"]
    assert run["status"] == "noop" and run["documents_processed"] == 0
    assert (run["files_unchanged"], run["files_new"], run["files_changed"], run["files_removed"]) == (5, 0, 0, 0)
    assert snapshot == history["after_first"]


def test_editing_one_seed_reprocesses_exactly_that_one(history):
    result, run, snapshot = history["edit"]
    assert (run["documents_processed"], run["files_changed"], run["files_unchanged"]) == (1, 1, 4)
    assert "changed 1, unchanged 4" in result.stdout
    # Derived cross-article tables are exactly what a run from scratch on the edited folder gives.
    assert snapshot == history["edit_scratch"]


def test_deleting_one_seed_retracts_exactly_its_rows(history):
    _, run, snapshot = history["delete"]
    assert (run["files_removed"], run["documents_processed"], run["files_seen"]) == (1, 0, 4)
    assert snapshot == history["delete_scratch"]
    deleted_id = next(row for row in history["after_first"]["main.manifest"] if row[0] == DELETED)[1]
    for table, rows in snapshot.items():
        assert all(deleted_id not in row for row in rows), table


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
    first = _start_paused_run(root, seeds, db, pause=25)
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
    env = cli_env(tmp_path)
    home = tmp_path / "prefect-home"
    if Path(env["PREFECT_HOME"]).is_dir():  # reuse its migrated database: a fresh one takes ~20 s to migrate
        shutil.copytree(Path(env["PREFECT_HOME"]), home, ignore=shutil.ignore_patterns("*.log"))
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5",
               PREFECT_RUNNER_POLL_FREQUENCY="2")
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

"""A run inside its load transaction: a second run is refused (it names the first), and the first, killed
(SIGKILL) before COMMIT, leaves the previous warehouse; the next run completes it (real CLI)."""

from __future__ import annotations

import subprocess

import duckdb
import pytest

from flows.lock import holder
from tests.helpers.cli import cli_env, copy_expectations
from tests.helpers.paths import BIN, ROOT
from tests.helpers.processes import start_paused_run
from tests.helpers.snapshots import table_snapshot
from tests.flows.test_incremental import _edit, _last_run, _run
from tests.helpers.scratch import loaded_copy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _run_ids(db) -> list[str]:
    return [r[0] for r in duckdb.connect(str(db), read_only=True).execute("SELECT run_id FROM runs").fetchall()]


def test_a_second_run_is_refused_and_a_kill_during_load_leaves_the_previous_state(tmp_path, scratch_warehouse):
    root = tmp_path
    copy_expectations(root / "expectations")
    seeds, db = loaded_copy(scratch_warehouse, root)
    before, runs_before = table_snapshot(db), _run_ids(db)
    _edit(seeds)
    process = start_paused_run(root, seeds, db, pause=120)
    try:
        first_run_id = holder(db)["run_id"]
        second = subprocess.run([str(BIN / "newsetl"), "run", "--seeds", str(seeds), "--db", str(db), "--no-progress"],
                                cwd=ROOT, env=cli_env(root), capture_output=True, text=True, timeout=300)
    finally:
        process.kill()  # SIGKILL inside the transaction, before COMMIT
        process.wait()
    assert second.returncode == 3
    assert "another run is writing" in second.stderr and first_run_id in second.stderr
    assert table_snapshot(db) == before and _run_ids(db) == runs_before  # neither run wrote anything
    _run(root, seeds, db)
    assert _last_run(db)["documents_processed"] == 1
    assert table_snapshot(db) == table_snapshot(scratch_warehouse(seeds))

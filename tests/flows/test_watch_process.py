"""`newsetl watch` as a process: one run at start, one per change (real CLI)."""

from __future__ import annotations

import subprocess

import pytest

from tests.helpers.cli import cli_env, copy_expectations
from tests.helpers.paths import BIN, ROOT
from tests.helpers.processes import runs_of, wait_for
from tests.flows.test_incremental import _edit
from tests.helpers.scratch import loaded_copy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_watch_runs_once_per_change(tmp_path, scratch_warehouse):
    copy_expectations(tmp_path / "expectations")
    seeds, db = loaded_copy(scratch_warehouse, tmp_path)  # a warehouse up to date with its folder
    watcher = subprocess.Popen([str(BIN / "newsetl"), "watch", "--seeds", str(seeds), "--db", str(db), "--poll", "0.5",
                                "--debounce", "1", "--max-runs", "2"], cwd=ROOT, env=cli_env(tmp_path),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: len(runs_of(db)) == 2, 240)  # the scratch run, and watch's catch-up run at start
        _edit(seeds)
        out, _ = watcher.communicate(timeout=240)
    finally:
        watcher.kill()
    assert watcher.returncode == 0, out
    assert runs_of(db) == [("completed", 5), ("noop", 0), ("completed", 1)]

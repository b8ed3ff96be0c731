"""Two runs on one warehouse never both write: the second is refused while the first holds the lock."""

from __future__ import annotations

import subprocess

import duckdb
import pytest

from tests.conftest import BIN, ROOT, cli_env, copy_expectations
from tests.flows.process_helpers import start_paused_run
from tests.flows.test_incremental import _seeds_copy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_two_concurrent_runs_never_both_write(tmp_path):
    root = tmp_path
    copy_expectations(root / "expectations")
    seeds, db = _seeds_copy(root / "seeds"), root / "news.duckdb"
    first = start_paused_run(root, seeds, db, pause=10)  # the second run is refused within a second or two
    second = subprocess.run([str(BIN / "newsetl"), "run", "--seeds", str(seeds), "--db", str(db), "--no-progress"],
                            cwd=ROOT, env=cli_env(root), capture_output=True, text=True, timeout=300)
    first_out, _ = first.communicate(timeout=300)
    assert first.returncode == 0, first_out
    first_run_id = first_out.split("run ", 1)[1].split(":", 1)[0]
    assert second.returncode == 3
    assert "another run is writing" in second.stderr and first_run_id in second.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert [r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()] == [first_run_id]

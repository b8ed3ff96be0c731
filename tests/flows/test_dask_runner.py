"""`newsetl run --task-runner dask` through the real CLI, on a local Dask cluster of two worker processes:
the warehouse is the one a local run makes, row for row, and no Dask process outlives the run."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import run_cli
from tests.helpers.paths import SEEDS
from tests.helpers.snapshots import table_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
MARKER = "NEWSETL_TEST_DASK_RUN"


def _processes_with(marker: str, value: str) -> list[str]:
    """Command lines of the live processes whose environment holds `marker=value` (children inherit it)."""
    needle = f"{marker}={value}".encode()
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if needle in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                found.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


@pytest.fixture(scope="module")
def dask_run(tmp_path_factory, scratch_warehouse):
    root = tmp_path_factory.mktemp("dask-runner")
    db = root / "news.duckdb"
    tag = uuid.uuid4().hex
    result = run_cli(["run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress", "--task-runner", "dask"], root,
                     env={"NEWSETL_WORKERS": "2", MARKER: tag})
    assert result.returncode == 0, result.stdout + result.stderr
    return {"db": db, "result": result, "left": _processes_with(MARKER, tag), "scratch": scratch_warehouse(SEEDS)}


def test_dask_run_makes_the_same_warehouse_as_a_local_run(dask_run):
    on_dask, local = table_snapshot(dask_run["db"]), table_snapshot(dask_run["scratch"])
    assert sorted(on_dask) == sorted(local)
    for table in local:
        assert on_dask[table] == local[table], table
    assert len(on_dask["main.articles"]) == len(list(SEEDS.iterdir()))


def test_dask_run_completes_with_a_quiet_terminal(dask_run):
    con = duckdb.connect(str(dask_run["db"]), read_only=True)
    try:
        assert con.execute("SELECT status FROM runs").fetchall() == [("completed",)]
    finally:
        con.close()
    assert "distributed" not in dask_run["result"].stderr  # no scheduler/nanny chatter, no shutdown traceback


def test_no_dask_process_outlives_the_run(dask_run):
    assert dask_run["left"] == []

"""Re-ingestion through the real CLI: only what changed is processed, and derived tables stay what a run
from scratch would give."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.helpers.scratch import loaded_copy, seeds_copy
from tests.helpers.cli import run_cli_here
from tests.helpers.paths import SEEDS
from tests.helpers.snapshots import table_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
EDITED = "002_f850821807b8f090.txt"
DELETED = "001_26c62c5d89ea49d3.txt"


def _run(root: Path, seeds: Path, db: Path) -> subprocess.CompletedProcess:
    result = run_cli_here(["run", "--seeds", str(seeds), "--db", str(db), "--no-progress"], root)
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
def history(tmp_path_factory, scratch_warehouse):
    """One warehouse taken from a full run of the seeds through: an unchanged re-run, one edit, one
    deletion; beside it, from-scratch runs of the edited and the reduced folders to compare with."""
    root = tmp_path_factory.mktemp("incremental")
    edited = seeds_copy(root / "edited")
    _edit(edited)
    reduced = shutil.copytree(edited, root / "reduced")
    (reduced / DELETED).unlink()
    seeds, db = loaded_copy(scratch_warehouse, root)
    out = {"after_first": table_snapshot(db)}
    out["noop"] = (_run(root, seeds, db), _last_run(db), table_snapshot(db))
    _edit(seeds)
    out["edit"] = (_run(root, seeds, db), _last_run(db), table_snapshot(db))
    (seeds / DELETED).unlink()
    out["delete"] = (_run(root, seeds, db), _last_run(db), table_snapshot(db))
    out.update({name: table_snapshot(scratch_warehouse(folder)) for name, folder in
                (("edit_scratch", edited), ("delete_scratch", reduced))})
    return out


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

"""What protects a warehouse from a wrong command: a mistyped or empty --seeds folder is refused before it
empties the warehouse, a changed folder is reported, and a new warehouse can start from an empty folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

import contract
from flows.incremental import MassRemovalRefused, RunPlan, check_removals
from flows.settings import Settings
from transforms.manifest import Changes
from tests.helpers.cli import run_cli_here
from tests.helpers.paths import SEEDS
from tests.helpers.snapshots import table_snapshot


def _plan(loaded: int, removed: int) -> RunPlan:
    names = [f"{i:03d}.txt" for i in range(loaded)]
    manifest = pl.DataFrame({"seed_name": names, "status": ["loaded"] * loaded},
                            schema={"seed_name": pl.String, "status": pl.String})
    return RunPlan([], {}, manifest, Changes(unchanged=names[removed:], removed=names[:removed]), "v", "/old/seeds")


@pytest.mark.parametrize("loaded, removed, refused", [(10, 5, False), (10, 6, True), (1, 1, True), (3, 1, False),
                                                      (0, 0, False)])
def test_retracting_most_of_the_warehouse_is_refused(loaded, removed, refused):
    settings = Settings().with_overrides(seeds_dir=Path("/new/seeds"))
    if refused:
        with pytest.raises(MassRemovalRefused, match=f"retract {removed} of the warehouse's {loaded} articles.*"
                                                     "the last run read /old/seeds.*--allow-mass-removal"):
            check_removals(_plan(loaded, removed), settings)
    else:
        check_removals(_plan(loaded, removed), settings)
    check_removals(_plan(loaded, removed), settings.with_overrides(allow_mass_removal=True))


def test_files_of_a_folder_that_cannot_be_listed_are_neither_retracted_nor_counted_as_removals(tmp_path, monkeypatch):
    import os

    from flows.incremental import plan_run
    from transforms.article import article_id_for
    from warehouse.loader import LoadPlan, load

    seeds, db = tmp_path / "seeds", tmp_path / "news.duckdb"
    names = ["a.txt", "locked/b.txt", "locked/c.txt"]
    for name in names:
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_text(f"Text of {name}.")
    rows = [{"seed_name": n, "article_id": article_id_for(n), "content_sha256": "0" * 64, "size_bytes": 1,
             "status": "loaded", "code_version": "v", "first_seen_run": "r0", "processed_run": "r0", "seen_run": "r0"}
            for n in names]
    load(db, LoadPlan(frames={"manifest": contract.rows_to_frame(rows, contract.MANIFEST)}))
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                        if os.fspath(path).endswith("locked") else real_scandir(path))
    settings = Settings().with_overrides(seeds_dir=seeds, db_path=db, progress=False)
    plan = plan_run(settings)
    assert plan.changes.removed == [] and plan.changes.unknown == ["locked/b.txt", "locked/c.txt"]
    check_removals(plan, settings)  # two of three unseen: not a mass removal, because nothing is removed
    with pytest.raises(Exception, match="--rebuild processes every file again, but locked/ .*cannot be listed"):
        plan_run(settings.with_overrides(rebuild=True))


@pytest.mark.e2e
@pytest.mark.slow
def test_an_empty_seeds_folder_leaves_the_warehouse_alone_unless_allowed(tmp_path, scratch_warehouse):
    db, empty = tmp_path / "news.duckdb", tmp_path / "empty"
    shutil.copy(scratch_warehouse(SEEDS), db)
    empty.mkdir()
    before = table_snapshot(db)
    refused = run_cli_here(["run", "--seeds", str(empty), "--db", str(db), "--no-progress"], tmp_path)
    assert refused.returncode == 1
    assert "refused: this run would retract 5 of the warehouse's 5 articles" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1  # one line, no traceback
    assert table_snapshot(db) == before
    allowed = run_cli_here(["run", "--seeds", str(empty), "--db", str(db), "--no-progress", "--allow-mass-removal"],
                      tmp_path)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "removed 5" in allowed.stdout
    assert duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM articles").fetchone()[0] == 0


@pytest.mark.e2e
@pytest.mark.slow
def test_another_seeds_folder_is_reported_and_a_new_warehouse_may_start_empty(tmp_path, scratch_warehouse):
    db = tmp_path / "news.duckdb"
    shutil.copy(scratch_warehouse(SEEDS), db)
    moved = shutil.copytree(SEEDS, tmp_path / "moved")  # the same files, read from another folder
    result = run_cli_here(["run", "--seeds", str(moved), "--db", str(db), "--no-progress"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": noop" in result.stdout and "note       seeds folder changed: the last run read" in result.stdout
    [(seeds_dir,)] = duckdb.connect(str(db), read_only=True).execute(
        "SELECT seeds_dir FROM runs ORDER BY started_at DESC LIMIT 1").fetchall()
    assert seeds_dir == str(moved.resolve())
    (tmp_path / "empty").mkdir()
    fresh = run_cli_here(["run", "--seeds", str(tmp_path / "empty"), "--db", str(tmp_path / "new.duckdb"), "--no-progress"],
                    tmp_path)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "articles 0" in fresh.stdout
    assert contract.RUNS.name in {r[0] for r in duckdb.connect(str(tmp_path / "new.duckdb"), read_only=True).execute(
        "SELECT table_name FROM duckdb_tables()").fetchall()}

"""A warehouse whose tables no longer match the contract, through the CLI (a refusal as a process of its own,
the runs that complete in the test process): lossless drift is migrated and the run completes; anything else is
refused in one line before any work, and `--rebuild` repairs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import run_cli, run_cli_here
from tests.helpers.paths import SEEDS
from tests.helpers.snapshots import table_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
BOOKKEEPING = ("run_id", "ingested_at", "first_seen_run", "processed_run", "seen_run")


def _copy(scratch_warehouse, root: Path, *statements: str) -> Path:
    """A copy of the from-scratch warehouse of the seeds, altered by `statements`."""
    db = root / "news.duckdb"
    shutil.copy(scratch_warehouse(SEEDS), db)
    with duckdb.connect(str(db)) as con:
        for statement in statements:
            con.execute(statement)
    return db


def _by_name(db: Path) -> dict[str, list]:
    """Like `table_snapshot`, with columns in name order: a column added by a migration comes last."""
    with duckdb.connect(str(db), read_only=True) as con:
        out = {}
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE table_name NOT "
                                         "IN ('runs', 'quarantine', '_warehouse_meta', 'validation_results')").fetchall():
            columns = sorted(c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = ? "
                                                       "AND table_name = ?", [schema, table]).fetchall()
                             if c not in BOOKKEEPING)
            out[f"{schema}.{table}"] = con.execute(f"SELECT {', '.join(columns)} FROM {schema}.{table} "
                                                   "ORDER BY ALL").fetchall()
        return out


def _runs(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT run_id, status FROM runs ORDER BY started_at").fetchall()


def test_dropped_nullable_columns_and_a_missing_table_are_migrated_and_the_run_completes(tmp_path, scratch_warehouse):
    """By hand (`DROP COLUMN sitename`), or as an older contract left the warehouse (a column, a table not
    there yet): added in the run's transaction, every file processed again to fill them."""
    db = _copy(scratch_warehouse, tmp_path,
               "ALTER TABLE articles DROP COLUMN sitename",
               "ALTER TABLE staging.articles DROP COLUMN sitename",
               "ALTER TABLE runs DROP COLUMN peak_rss_mb",
               "DROP TABLE conflicts",
               "UPDATE _warehouse_meta SET value = 'older' WHERE key = 'schema_version'")
    result = run_cli_here(["run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    notes = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("note       schema")]
    assert notes == ["note       schema: added column articles.sitename (VARCHAR) to match the contract",
                     "note       schema: created missing table conflicts to match the contract",
                     "note       schema: added column runs.peak_rss_mb (INTEGER) to match the contract",
                     "note       schema: added column staging.articles.sitename (VARCHAR) to match the contract",
                     "note       schema: every file was processed again to fill what was added"], result.stdout
    assert "changed 5, unchanged 0" in result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert _by_name(db) == _by_name(scratch_warehouse(SEEDS))  # sitename filled again, conflicts derived again
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs WHERE peak_rss_mb IS NOT NULL").fetchone()[0] == 1


def test_a_drift_that_would_lose_data_is_refused_in_one_line_and_rebuild_repairs_it(tmp_path, scratch_warehouse):
    db = _copy(scratch_warehouse, tmp_path,
               "ALTER TABLE articles DROP COLUMN body",
               "ALTER TABLE quotes ALTER COLUMN start_char TYPE BIGINT",
               "ALTER TABLE articles DROP COLUMN sitename")  # lossless alone: not applied by a refused run either
    before, runs_before = table_snapshot(db), _runs(db)
    refused = run_cli(["run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress"], tmp_path)
    assert refused.returncode == 1
    [line] = refused.stderr.strip().splitlines()  # one line: no traceback, no nanobind "leaked" pages
    assert line.startswith("newsetl: run ") and " refused: the warehouse's schema does not match the contract: " in line
    assert "articles.body is missing (the contract declares it VARCHAR NOT NULL" in line
    assert "quotes.start_char is BIGINT where the contract declares INTEGER" in line
    assert "Run `newsetl run --rebuild`" in line
    assert refused.stdout == ""
    assert table_snapshot(db) == before and _runs(db) == runs_before  # nothing written, not even a runs row

    rebuilt = run_cli_here(["run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress", "--rebuild"], tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "note       rebuild: re-created the analyst tables, the manifest and the staging copies" in rebuilt.stdout
    assert "changed 5, unchanged 0" in rebuilt.stdout
    assert "Traceback" not in rebuilt.stderr, rebuilt.stderr
    assert table_snapshot(db) == table_snapshot(scratch_warehouse(SEEDS))  # column order included
    runs = _runs(db)
    assert runs[:-1] == runs_before and runs[-1][1] == "completed"  # the history is kept

"""The one-transaction loader: a run's changes become visible all at once, or not at all.

How each table is written is declared in the contract (`Table.write`): per-article tables are replaced
for the articles the run (re)processed or retracted, corpus tables are rebuilt whole, logs are appended.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

import contract
from warehouse.drift import Drift, Observed, SchemaDrift, compare, expected_tables, observe
from warehouse.schema import ensure_schema


# How long a run waits for other processes (analysts with the file open) to let go of the warehouse.
DEFAULT_DB_WAIT_SECONDS = 30.0


class WarehouseInUse(RuntimeError):
    """The DuckDB file is held by another process (a reader or another writer)."""


class WarehouseNotWritable(RuntimeError):
    """The warehouse file, or the folder it would be created in, cannot be written."""


def check_writable(db_path: Path | str) -> None:
    """Pre-flight, before any extraction work: the warehouse can be written right now. A read-only file
    or folder, a folder given as --db, or a DuckDB session holding the file open (an analyst's reader)
    is reported in a second instead of after the whole run's extraction."""
    path = Path(db_path)
    if path.is_dir():
        raise WarehouseNotWritable(f"{path} is a folder; --db must name a DuckDB file")
    if path.exists():
        try:
            connect(path, read_only=False, wait_seconds=0).close()
        except duckdb.IOException as exc:
            raise WarehouseNotWritable(f"cannot write {path}: {exc}") from exc
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise WarehouseNotWritable(f"cannot create {path}: {exc.strerror or exc} ({exc.filename or path.parent})") \
            from exc


@dataclass
class LoadPlan:
    frames: dict[str, pl.DataFrame]  # rows to write, keyed by table name
    replace_article_ids: list[str] = field(default_factory=list)  # articles whose rows the frames hold
    retract_article_ids: list[str] = field(default_factory=list)  # articles whose rows must go
    rebuild_corpus: bool = True  # corpus tables present in `frames` replace the stored ones
    staging_frames: dict[str, pl.DataFrame] = field(default_factory=dict)  # fresh extraction output
    staging_drop_ids: list[str] = field(default_factory=list)  # articles whose staged rows must go
    rebuild: bool = False  # re-make the derived tables empty first (`newsetl run --rebuild`)


def _insert(con: duckdb.DuckDBPyConnection, table: contract.Table, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    rows = contract.conform(frame, table)
    con.register("_incoming", rows.to_arrow())
    con.execute(f"INSERT INTO {table.name} BY NAME SELECT * FROM _incoming")
    con.unregister("_incoming")


def connect(db_path: Path | str, read_only: bool = False, wait_seconds: float = DEFAULT_DB_WAIT_SECONDS,
            on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, waiting up to `wait_seconds` while another process holds it (`on_wait` is told
    once, with who holds it, so a wait is never silent), then failing with a message that says what to do."""
    if not read_only:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseInUse(
                    f"{db_path} is open in another process ({holder_of(exc)}). Close read-only sessions on it (or "
                    f"query a copy), then run again; nothing of this run was written.") from exc
            if on_wait is not None and not told:
                on_wait(f"waiting up to {wait_seconds:g}s for {holder_of(exc)} to close {db_path}")
                told = True
            time.sleep(0.5)


def holder_of(error: duckdb.Error) -> str:
    """Who holds the file, from DuckDB's lock error ("Conflicting lock is held in /usr/bin/python (PID 12)")."""
    found = re.search(r"held in (\S+) \(PID (\d+)\)", str(error))
    if found is None:
        return "another process"
    return f"PID {found.group(2)} ({Path(found.group(1)).name})"


def check_schema(db_path: Path | str, rebuild: bool = False) -> Drift:
    """Pre-flight, before any extraction work: compare the warehouse's tables with the contract. Returns
    the lossless changes the load will make (`warehouse.drift`); raises `SchemaDrift` (one message naming
    every table and column, and the fix) when the warehouse cannot be loaded as it is. Only a rebuild
    (`rebuild`) passes whatever the derived tables hold."""
    if not Path(db_path).exists():
        return compare(expected_tables(), Observed())
    con = connect(db_path, read_only=True)
    try:
        observed = observe(con)
    except BaseException as exc:
        _forget_connections(exc)
        raise
    finally:
        con.close()
        del con
    drift = compare(expected_tables(), observed, rebuild=rebuild)
    if drift.problems:
        raise SchemaDrift(drift.problems)
    return drift


def _forget_connections(exc: BaseException) -> None:
    """Drop the frames' references to DuckDB objects from a failure's traceback. Prefect keeps a failed
    task's exception until the interpreter exits; a DuckDB connection still referenced then makes DuckDB's
    bindings (nanobind) print pages of "leaked instance / leaked function" warnings at exit."""
    traceback.clear_frames(exc.__traceback__)


def load(db_path: Path | str, plan: LoadPlan, wait_seconds: float = DEFAULT_DB_WAIT_SECONDS,
         on_wait: Callable[[str], None] | None = None, pause_before_commit: float = 0.0) -> float:
    """Apply a run's changes in a single transaction (rolled back entirely on any error). Returns the
    seconds it took, as recorded in the run's `runs.stage_seconds["load"]`. The schema is brought to the
    contract first, in the same transaction (`warehouse.schema.ensure_schema`). A reader holding the file is
    waited for (`connect`). `pause_before_commit` is fault injection for the crash-safety tests: seconds
    to sleep inside the transaction, just before COMMIT, so a test can kill the process there."""
    started = time.perf_counter()
    con = connect(db_path, wait_seconds=wait_seconds, on_wait=on_wait)
    try:
        con.execute("BEGIN TRANSACTION")
        ensure_schema(con, rebuild=plan.rebuild)
        touched = pl.DataFrame({"article_id": plan.replace_article_ids + plan.retract_article_ids},
                               schema={"article_id": pl.String})
        con.register("_touched", touched.to_arrow())
        for table in contract.TABLES:
            frame = plan.frames.get(table.name)
            if table.write == "article" and (plan.replace_article_ids or plan.retract_article_ids):
                con.execute(f"DELETE FROM {table.name} WHERE article_id IN (SELECT article_id FROM _touched)")
            elif table.write in {"corpus", "state"} and plan.rebuild_corpus and frame is not None:
                con.execute(f"DELETE FROM {table.name}")
            if frame is not None:
                _insert(con, table, frame)
        con.unregister("_touched")
        _write_staging(con, plan)
        seconds = round(time.perf_counter() - started, 3)
        _record_load_time(con, plan, seconds)
        if pause_before_commit:
            # straight to fd 2: Prefect captures print() inside flows
            os.write(2, f"fault injection: pausing {pause_before_commit:g}s before COMMIT\n".encode())
            time.sleep(pause_before_commit)
        con.execute("COMMIT")
        return seconds
    except BaseException as exc:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        _forget_connections(exc)
        raise
    finally:
        con.close()
        del con  # this frame stays in the traceback of a failure: no connection in it


def _record_load_time(con: duckdb.DuckDBPyConnection, plan: LoadPlan, seconds: float) -> None:
    """Add this load's duration to the run's own `runs.stage_seconds`, inside the same transaction."""
    runs = plan.frames.get("runs")
    if runs is None or runs.height != 1:
        return
    row = runs.row(0, named=True)
    stages = json.loads(row["stage_seconds"] or "{}")
    stages["load"] = seconds
    con.execute("UPDATE runs SET stage_seconds = ? WHERE run_id = ?", [json.dumps(stages), row["run_id"]])


def _write_staging(con: duckdb.DuckDBPyConnection, plan: LoadPlan) -> None:
    """Replace the staged extraction output of the articles this run processed or retracted."""
    if not plan.staging_drop_ids and not plan.staging_frames:
        return
    dropped = pl.DataFrame({"article_id": plan.staging_drop_ids}, schema={"article_id": pl.String})
    con.register("_dropped", dropped.to_arrow())
    for name in contract.STAGED_TABLES:
        target = f"{contract.STAGING_SCHEMA}.{name}"
        con.execute(f"DELETE FROM {target} WHERE article_id IN (SELECT article_id FROM _dropped)")
        frame = plan.staging_frames.get(name)
        if frame is not None and frame.height:
            con.register("_incoming", contract.conform(frame, contract.TABLES_BY_NAME[name]).to_arrow())
            con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM _incoming")
            con.unregister("_incoming")
    con.unregister("_dropped")


def table_counts(db_path: Path | str) -> dict[str, int]:
    if not Path(db_path).exists():
        return {}
    con = connect(db_path, read_only=True)
    try:
        present = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                                   "current_database() AND schema_name = 'main'").fetchall()}
        return {t.name: con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] for t in contract.TABLES
                if t.name in present}
    finally:
        con.close()

"""The one-transaction loader: a run's changes become visible all at once, or not at all.

How each table is written is declared in the contract (`Table.write`): per-article tables are replaced
for the articles the run (re)processed or retracted, corpus tables are rebuilt whole, logs are appended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from warehouse import contract
from warehouse.schema import ensure_schema


@dataclass
class LoadPlan:
    frames: dict[str, pl.DataFrame]  # rows to write, keyed by table name
    replace_article_ids: list[str] = field(default_factory=list)  # new or changed articles
    retract_article_ids: list[str] = field(default_factory=list)  # articles whose input file is gone
    rebuild_corpus: bool = True  # corpus tables present in `frames` replace the stored ones


def _insert(con: duckdb.DuckDBPyConnection, table: contract.Table, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    rows = contract.conform(frame, table)
    con.register("_incoming", rows.to_arrow())
    con.execute(f"INSERT INTO {table.name} BY NAME SELECT * FROM _incoming")
    con.unregister("_incoming")


def connect(db_path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if not read_only:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(db_path), read_only=read_only)


def load(db_path: Path | str, plan: LoadPlan) -> None:
    """Apply a run's changes in a single transaction (rolled back entirely on any error)."""
    con = connect(db_path)
    try:
        con.execute("BEGIN TRANSACTION")
        ensure_schema(con)
        touched = pl.DataFrame({"article_id": plan.replace_article_ids + plan.retract_article_ids},
                               schema={"article_id": pl.String})
        con.register("_touched", touched.to_arrow())
        for table in contract.TABLES:
            frame = plan.frames.get(table.name)
            if table.write == "article":
                con.execute(f"DELETE FROM {table.name} WHERE article_id IN (SELECT article_id FROM _touched)")
            elif table.write == "corpus" and plan.rebuild_corpus and frame is not None:
                con.execute(f"DELETE FROM {table.name}")
            if frame is not None:
                _insert(con, table, frame)
        con.unregister("_touched")
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        con.close()


def table_counts(db_path: Path | str) -> dict[str, int]:
    con = connect(db_path, read_only=True)
    try:
        return {t.name: con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] for t in contract.TABLES}
    finally:
        con.close()

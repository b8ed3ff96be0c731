"""What an incremental run reads back from the warehouse: the manifest of input files, and the staged
extraction output of the articles it will not process again.

Read only after the run's schema check (`warehouse.loader.check_schema`): a table may be missing (the load
creates it) or lack a nullable column (the load adds it; `contract.conform` reads it as null here), but
nothing else differs from the contract.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

import contract
from warehouse.loader import connect


def _has(con, table: str, schema: str = "main") -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND "
                            "schema_name = ? AND table_name = ?", [schema, table]).fetchall())


def read_manifest(db_path: Path) -> pl.DataFrame:
    """The manifest as the last completed run left it (empty for a new warehouse)."""
    if not Path(db_path).exists():
        return contract.empty_frame(contract.MANIFEST)
    con = connect(db_path, read_only=True)
    try:
        if not _has(con, "manifest"):
            return contract.empty_frame(contract.MANIFEST)
        frame = con.sql("SELECT * FROM manifest").pl()
        return contract.conform(frame, contract.MANIFEST)
    finally:
        con.close()


def read_staged(db_path: Path, article_ids: list[str]) -> dict[str, pl.DataFrame]:
    """The staged per-article frames of `article_ids`, exactly as extraction produced them."""
    frames = {name: contract.empty_frame(contract.TABLES_BY_NAME[name]) for name in contract.STAGED_TABLES}
    if not article_ids or not Path(db_path).exists():
        return frames
    con = connect(db_path, read_only=True)
    try:
        wanted = pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String})
        con.register("_wanted", wanted.to_arrow())
        for name in contract.STAGED_TABLES:
            if not _has(con, name, contract.STAGING_SCHEMA):
                continue
            # rowid order is insertion order: each article's rows come back in extraction order
            rows = con.sql(f"SELECT * FROM {contract.STAGING_SCHEMA}.{name} "
                           f"WHERE article_id IN (SELECT article_id FROM _wanted) ORDER BY rowid").pl()
            frames[name] = contract.conform(rows, contract.TABLES_BY_NAME[name])
        con.unregister("_wanted")
        return frames
    finally:
        con.close()


def last_seeds_dir(db_path: Path) -> str | None:
    """The seeds folder the warehouse's last completed (or no-op) run read; None for a new warehouse."""
    if not Path(db_path).exists():
        return None
    con = connect(db_path, read_only=True)
    try:
        if not _has(con, "runs"):
            return None
        rows = con.execute("SELECT seeds_dir FROM runs WHERE status IN ('completed', 'noop') "
                           "ORDER BY started_at DESC LIMIT 1").fetchall()
        return rows[0][0] if rows else None
    finally:
        con.close()


def existing_article_ids(db_path: Path) -> list[str]:
    """Articles currently in the analyst tables."""
    if not Path(db_path).exists():
        return []
    con = connect(db_path, read_only=True)
    try:
        if not _has(con, "articles"):
            return []
        return [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()]
    finally:
        con.close()

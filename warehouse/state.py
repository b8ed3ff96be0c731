"""What an incremental run reads back from the warehouse: the manifest of input files, and the staged
extraction output of the articles it will not process again.

A warehouse written by another version of the contract counts as empty (the load will rebuild it), so
a contract change re-processes every file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

import contract
from warehouse.loader import connect
from warehouse.schema import META_TABLE, schema_version


def _current(con) -> bool:
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if META_TABLE not in tables:
        return False
    rows = con.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchall()
    return bool(rows) and rows[0][0] == schema_version()


def read_manifest(db_path: Path) -> pl.DataFrame:
    """The manifest as the last completed run left it (empty for a new or outdated warehouse)."""
    if not Path(db_path).exists():
        return contract.empty_frame(contract.MANIFEST)
    con = connect(db_path, read_only=True)
    try:
        if not _current(con):
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
        if not _current(con):
            return frames
        wanted = pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String})
        con.register("_wanted", wanted.to_arrow())
        for name in contract.STAGED_TABLES:
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
        if not _current(con):
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
        if not _current(con):
            return []
        return [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()]
    finally:
        con.close()

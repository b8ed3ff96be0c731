"""A warehouse's content as plain rows, so two runs (or a run and a re-run) can be compared for equality."""

from __future__ import annotations

from pathlib import Path

import duckdb


def table_snapshot(db: Path) -> dict[str, list]:
    """Every row of every content table (staging included), minus run bookkeeping columns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE table_name NOT IN "
                             "('runs', 'quarantine', '_warehouse_meta', 'validation_results')").fetchall()
        for schema, table in tables:
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? AND column_name "
                "NOT IN ('run_id', 'ingested_at', 'first_seen_run', 'processed_run', 'seen_run')",
                [schema, table]).fetchall()]
            out[f"{schema}.{table}"] = con.execute(
                f"SELECT {', '.join(cols)} FROM {schema}.{table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()

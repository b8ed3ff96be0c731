"""DuckDB DDL generated from the contract, with every table and column described in the database itself
(`duckdb_tables().comment`, `duckdb_columns().comment`), plus the analyst views; a warehouse that drifted
from the contract is migrated where nothing is lost, refused otherwise (`warehouse.drift`).
"""

from __future__ import annotations

import hashlib

import duckdb

import contract
from warehouse.drift import META_TABLE, Change, Drift, SchemaDrift, compare, expected_tables, observe
from warehouse.views import VIEWS


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_table_sql(table: contract.Table) -> str:
    columns = ",\n    ".join(
        f"{c.name} {c.sql_type}{'' if c.nullable else ' NOT NULL'}" for c in table.columns
    )
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n    {columns}\n)"


def create_staging_sql(table: contract.Table) -> str:
    """The staging copy of a per-article table: same columns, no constraints (pre-resolution rows)."""
    columns = ",\n    ".join(f"{c.name} {c.sql_type}" for c in table.columns)
    return f"CREATE TABLE IF NOT EXISTS {contract.STAGING_SCHEMA}.{table.name} (\n    {columns}\n)"


def comment_sql(table: contract.Table) -> list[str]:
    statements = [f"COMMENT ON TABLE {table.name} IS {_quote(table.description)}"]
    statements += [f"COMMENT ON COLUMN {table.name}.{c.name} IS {_quote(c.description)}" for c in table.columns]
    return statements


def schema_version() -> str:
    """A fingerprint of the tables' shape in the contract, kept in `_warehouse_meta` for reference."""
    text = "\n".join(create_table_sql(t) for t in contract.TABLES) + "\n".join(contract.STAGED_TABLES)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _qualified(change: Change) -> str:
    return f"{change.table.schema}.{change.table.name}"


def _apply(con: duckdb.DuckDBPyConnection, change: Change) -> None:
    """One lossless change; a missing or re-made table is created by `ensure_schema` afterwards."""
    if change.kind == "recreate_table":
        con.execute(f"DROP TABLE IF EXISTS {_qualified(change)}")
    elif change.kind == "add_column":
        con.execute(f"ALTER TABLE {_qualified(change)} ADD COLUMN {change.column.name} {change.column.sql_type}")
    elif change.kind == "drop_not_null":
        con.execute(f"ALTER TABLE {_qualified(change)} ALTER COLUMN {change.column.name} DROP NOT NULL")


def ensure_schema(con: duckdb.DuckDBPyConnection, rebuild: bool = False) -> Drift:
    """Bring the warehouse to the contract: create what is missing, migrate lossless drift (`warehouse.drift`),
    refresh comments and views. With `rebuild`, the derived tables (analyst tables, manifest, staging) are
    re-made empty, and history tables that do not match. Raises `SchemaDrift`, before changing anything,
    when a difference cannot be resolved without loss. Returns what was found and done."""
    drift = compare(expected_tables(), observe(con), rebuild=rebuild)
    if drift.problems:
        raise SchemaDrift(drift.problems)
    if rebuild or any(c.kind == "recreate_table" for c in drift.changes):
        for name in VIEWS:
            con.execute(f"DROP VIEW IF EXISTS {name}")
    for change in drift.changes:
        _apply(con, change)
    if rebuild:  # staging tables no longer staged by this contract go too
        con.execute(f"DROP SCHEMA IF EXISTS {contract.STAGING_SCHEMA} CASCADE")
    con.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for table in contract.TABLES:
        con.execute(create_table_sql(table))
        for statement in comment_sql(table):
            con.execute(statement)
    con.execute(f"COMMENT ON TABLE {META_TABLE} IS {_quote(contract.META_DESCRIPTION)}")
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {contract.STAGING_SCHEMA}")
    for name in contract.STAGED_TABLES:
        con.execute(create_staging_sql(contract.TABLES_BY_NAME[name]))
        con.execute(f"COMMENT ON TABLE {contract.STAGING_SCHEMA}.{name} IS {_quote(contract.STAGING_DESCRIPTION)}")
    for name, (description, sql) in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
        con.execute(f"COMMENT ON VIEW {name} IS {_quote(description)}")
    con.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('schema_version', ?)", [schema_version()])
    return drift

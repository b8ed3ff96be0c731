"""DuckDB DDL generated from the contract, with every table and column described in the database itself
(`duckdb_tables().comment`, `duckdb_columns().comment`), plus the analyst views.
"""

from __future__ import annotations

import hashlib

import duckdb

import contract
from warehouse.views import VIEWS

META_TABLE = "_warehouse_meta"


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
    """Changes whenever a table's shape changes: an older warehouse is then rebuilt from the seeds."""
    text = "\n".join(create_table_sql(t) for t in contract.TABLES) + "\n".join(contract.STAGED_TABLES)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create missing tables and views; rebuild all tables if the contract changed. True if rebuilt."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
    rows = con.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchall()
    version = schema_version()
    rebuilt = bool(rows) and rows[0][0] != version
    if rebuilt:
        for name in VIEWS:
            con.execute(f"DROP VIEW IF EXISTS {name}")
        for table in contract.TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table.name}")
        con.execute(f"DROP SCHEMA IF EXISTS {contract.STAGING_SCHEMA} CASCADE")
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
    con.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('schema_version', ?)", [version])
    return rebuilt

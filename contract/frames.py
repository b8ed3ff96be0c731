"""Frames shaped to the contract: polars schemas of the tables, empty frames, and rows conformed to a table's
columns and types in its order."""

from __future__ import annotations

import polars as pl

from contract.tables import Table

_POLARS_TYPES: dict[str, pl.DataType] = {
    "VARCHAR": pl.String(),
    "JSON": pl.String(),
    "DATE": pl.Date(),
    "TIMESTAMP": pl.Datetime("us"),
    "INTEGER": pl.Int32(),
    "BIGINT": pl.Int64(),
    "DOUBLE": pl.Float64(),
    "BOOLEAN": pl.Boolean(),
    "VARCHAR[]": pl.List(pl.String()),
    "INTEGER[]": pl.List(pl.Int32()),
}


def polars_schema(table: Table) -> pl.Schema:
    return pl.Schema({c.name: _POLARS_TYPES[c.sql_type] for c in table.columns})


def empty_frame(table: Table) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(table))


def conform(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Select the contract's columns in contract order, cast to contract types; missing columns become null."""
    schema = polars_schema(table)
    return frame.select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    )


def rows_to_frame(rows: list[dict], table: Table) -> pl.DataFrame:
    """Row dicts (each with some of the table's columns) -> a frame of exactly the contract's columns and
    types, in contract order; an empty list gives an empty frame of the right schema."""
    if not rows:
        return empty_frame(table)
    schema = polars_schema(table)
    columns = dict.fromkeys(key for row in rows for key in row)
    frame = pl.DataFrame(rows, schema={c: schema[c] for c in columns if c in schema}, strict=False)
    return conform(frame, table)

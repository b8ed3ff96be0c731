"""Frames shaped to a table of the contract: its columns, in its order, with its types, whatever the rows held."""

from datetime import date

import polars as pl

from contract import Column, Table
from contract.frames import conform, empty_frame, polars_schema, rows_to_frame

PIERS = Table("piers", "Invented for the test.", "corpus", (
    Column("pier_id", "VARCHAR", "", nullable=False), Column("opened", "DATE", ""), Column("berths", "INTEGER", ""),
    Column("ferries", "VARCHAR[]", ""), Column("depth", "DOUBLE", ""), Column("open", "BOOLEAN", "")), ("pier_id",))


def test_each_sql_type_has_its_polars_type():
    assert polars_schema(PIERS) == pl.Schema({"pier_id": pl.String, "opened": pl.Date, "berths": pl.Int32,
                                              "ferries": pl.List(pl.String), "depth": pl.Float64, "open": pl.Boolean})
    assert empty_frame(PIERS).height == 0 and empty_frame(PIERS).schema == polars_schema(PIERS)


def test_conform_orders_casts_fills_and_drops():
    frame = pl.DataFrame({"extra": ["x"], "berths": [3], "pier_id": ["p1"], "depth": [7]})  # Int64 berths and depth
    shaped = conform(frame, PIERS)
    assert shaped.columns == PIERS.column_names  # contract order; `extra` left out
    assert shaped.schema == polars_schema(PIERS)
    assert shaped.row(0) == ("p1", None, 3, None, 7.0, None)


def test_rows_to_frame_takes_rows_with_different_keys():
    rows = [{"pier_id": "p1", "opened": date(2024, 3, 4)}, {"pier_id": "p2", "ferries": ["Alder", "Birch"]},
            {"pier_id": "p3", "not_a_column": 1}]
    frame = rows_to_frame(rows, PIERS)
    assert frame.schema == polars_schema(PIERS)
    assert frame["opened"].to_list() == [date(2024, 3, 4), None, None]
    assert frame["ferries"].to_list() == [None, ["Alder", "Birch"], None]
    assert rows_to_frame([], PIERS).equals(empty_frame(PIERS))

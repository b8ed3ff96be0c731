"""One source of truth: DDL, GX suites and docs are all generated from the contract and agree with it."""

import json
from pathlib import Path

import duckdb

from expectations.checks import check_columns
from expectations.suites import VALIDATED_TABLES, build_suite
import contract
from warehouse import docs
from warehouse.schema import ensure_schema

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_doc_is_current():
    assert (ROOT / "warehouse" / "README.md").read_text(encoding="utf-8") == docs.render(), \
        "warehouse/README.md is stale: run `python -m warehouse.docs`"


def test_ddl_matches_contract_and_carries_comments():
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    for table in contract.TABLES:
        rows = con.execute("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                           "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                           [table.name]).fetchall()
        assert [r[0] for r in rows] == table.column_names
        assert [r[1] for r in rows] == [c.sql_type for c in table.columns], f"{table.name}: DDL types"
        assert [r[2] == "NO" for r in rows] == [not c.nullable for c in table.columns]
        comments = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() "
                                    "WHERE schema_name = 'main' AND table_name = ?", [table.name]).fetchall())
        assert all(comments[c.name] == c.description for c in table.columns)
    for name in contract.STAGED_TABLES:  # staging copies: the same columns, no constraints
        staged = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? "
                             "AND table_name = ? ORDER BY ordinal_position", [contract.STAGING_SCHEMA, name]).fetchall()
        assert staged == [(c.name, c.sql_type) for c in contract.TABLES_BY_NAME[name].columns]


def test_committed_suites_equal_generated_suites():
    for table in VALIDATED_TABLES:
        stored = json.loads((ROOT / "expectations" / "gx" / "expectations" / f"{table.name}.json").read_text())
        generated = build_suite(table)
        stored_specs = [(e["type"], e["kwargs"]) for e in stored["expectations"]]
        generated_specs = [(e.configuration.type, e.configuration.kwargs) for e in generated.expectations]
        assert stored_specs == generated_specs, f"expectations/gx/expectations/{table.name}.json is stale"


def test_every_rule_of_the_contract_has_an_expectation():
    for table in VALIDATED_TABLES:
        kinds = [(e.configuration.type, e.configuration.kwargs.get("column")) for e in build_suite(table).expectations]
        spanned = {name for rule in table.spans for name in (rule.start, rule.end, rule.surface)}
        for column in table.columns:
            if not column.nullable and column.name not in spanned:  # span rules check those, more strictly
                assert ("expect_column_values_to_not_be_null", column.name) in kinds
            if column.allowed:
                assert ("expect_column_values_to_be_in_set", column.name) in kinds
        for check in check_columns(table):
            assert ("expect_column_values_to_be_in_set", check) in kinds


def test_references_point_at_real_columns():
    for table in contract.TABLES:
        for column in table.columns:
            if column.references:
                ref_table, ref_column = column.references.split(".")
                assert ref_column in contract.TABLES_BY_NAME[ref_table].column_names


def test_a_week_date_is_a_monday():
    from datetime import date

    import polars as pl

    from expectations.checks import ROW_CHECKS

    [check] = [c for c in contract.TEMPORAL_EXPRESSIONS.row_checks if c.name == "date_precision_consistent"]
    frame = pl.DataFrame({"resolved_date": [date(2024, 3, 4), date(2024, 3, 6), date(2024, 3, 1), None],
                          "date_precision": ["week", "week", "month", None]})
    ok = frame.select(ROW_CHECKS[check.name](check, frame, {}, date(2024, 3, 10)).alias("ok"))["ok"].to_list()
    assert ok == [True, False, True, True]


def test_every_table_an_analyst_can_list_is_documented():
    """`information_schema.tables` of a fresh warehouse: every table and view is in the schema reference,
    and the internal ones say so in the database too."""
    import duckdb

    from warehouse.docs import README
    from warehouse.schema import ensure_schema

    con = duckdb.connect()
    ensure_schema(con)
    listed = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    readme = README.read_text(encoding="utf-8")
    comments = dict(((s, t), c) for s, t, c in con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables()").fetchall())
    assert {schema for schema, _ in listed} == {"main", contract.STAGING_SCHEMA}
    for schema, name in listed:
        assert f"`{name}`" in readme or f"### {name}\n" in readme, name
        if schema == contract.STAGING_SCHEMA or name.startswith("_"):
            assert comments[(schema, name)].startswith("Internal"), (schema, name)
    assert f"`{contract.STAGING_SCHEMA}` (internal" in readme

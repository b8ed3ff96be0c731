"""The DDL is generated from the contract: every table with its columns, types, nullability and descriptions."""

import duckdb

import contract
from warehouse.drift import META_TABLE
from warehouse.schema import create_staging_sql, create_table_sql, ensure_schema, schema_version


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


def test_a_current_warehouse_is_left_as_it_is_and_records_the_schema_version():
    con = duckdb.connect(":memory:")
    assert ensure_schema(con).fresh
    con.execute("INSERT INTO stories (story_id, title, article_count, source_count) VALUES ('s1', 'Ferries', 1, 1)")
    again = ensure_schema(con)
    assert again.changes == () and again.problems == () and not again.fresh
    assert con.execute("SELECT story_id FROM stories").fetchall() == [("s1",)]
    assert con.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchall() == [
        (schema_version(),)]
    assert len(schema_version()) == 12


def test_a_dropped_nullable_column_comes_back_with_its_comment_and_the_rows_stay():
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    con.execute("INSERT INTO stories (story_id, title, article_count, source_count) VALUES ('s1', 'Ferries', 1, 1)")
    con.execute("ALTER TABLE stories DROP COLUMN title")
    drift = ensure_schema(con)
    assert [change.describe() for change in drift.changes] == ["added column stories.title (VARCHAR)"]
    assert con.execute("SELECT story_id, title FROM stories").fetchall() == [("s1", None)]
    [(comment,)] = con.execute("SELECT comment FROM duckdb_columns() WHERE schema_name = 'main' AND "
                               "table_name = 'stories' AND column_name = 'title'").fetchall()
    assert comment == contract.STORIES.column("title").description


def test_the_staging_copy_has_the_columns_but_no_constraints():
    sql = create_staging_sql(contract.ARTICLES)
    assert sql.startswith(f"CREATE TABLE IF NOT EXISTS {contract.STAGING_SCHEMA}.articles (")
    assert "NOT NULL" not in sql and "NOT NULL" in create_table_sql(contract.ARTICLES)

"""Schema drift: the contract against the columns a warehouse holds → lossless changes or blocking problems."""

from datetime import datetime

import duckdb
import polars as pl
import pytest

import contract
from warehouse.drift import (ExpectedColumn, ExpectedTable, Observed, ObservedColumn, SchemaDrift, compare,
                             drift_message, expected_tables, observe)

ARTICLES = ExpectedTable("main", "articles", "derived", (
    ExpectedColumn("article_id", "VARCHAR", False), ExpectedColumn("body", "VARCHAR", False),
    ExpectedColumn("sitename", "VARCHAR", True), ExpectedColumn("word_count", "INTEGER", False)))
RUNS = ExpectedTable("main", "runs", "history", (
    ExpectedColumn("run_id", "VARCHAR", False), ExpectedColumn("message", "VARCHAR", True)))
META = ExpectedTable("main", "_warehouse_meta", "internal", (
    ExpectedColumn("key", "VARCHAR", False), ExpectedColumn("value", "VARCHAR", True)))
EXPECTED = (ARTICLES, RUNS, META)


def _observed(table: ExpectedTable, drop: tuple[str, ...] = (), **changed: tuple[str, bool]) -> tuple:
    """The table as the contract makes it, minus `drop`, with `changed` columns of another (type, nullable)."""
    return ((table.schema, table.name),
            tuple(ObservedColumn(c.name, *changed.get(c.name, (c.sql_type, c.nullable)))
                  for c in table.columns if c.name not in drop))


def _warehouse(*tables: tuple, views: frozenset = frozenset()) -> Observed:
    return Observed(dict(tables), views)


def _matching(**replace: tuple) -> Observed:
    tables = dict(_observed(t) for t in EXPECTED)
    tables.update(dict(replace.values()))
    return Observed(tables)


def test_a_matching_warehouse_has_no_drift():
    drift = compare(EXPECTED, _matching())
    assert (drift.changes, drift.problems, drift.fresh, drift.reprocess) == ((), (), False, False)


def test_a_new_warehouse_is_created_silently():
    drift = compare(EXPECTED, Observed())
    assert drift.fresh and not drift.problems and not drift.reprocess and drift.notices() == []
    assert {c.kind for c in drift.changes} == {"create_table"}


def test_a_missing_nullable_column_is_added_and_every_file_processed_again():
    drift = compare(EXPECTED, _matching(articles=_observed(ARTICLES, drop=("sitename",))))
    assert drift.problems == ()
    [change] = drift.changes
    assert (change.kind, change.table.name, change.column.name) == ("add_column", "articles", "sitename")
    assert drift.reprocess  # the rows already there have no sitename: only re-extraction fills it
    assert "schema: added column articles.sitename (VARCHAR) to match the contract" in drift.notices()


def test_a_history_column_is_added_without_processing_anything_again():
    drift = compare(EXPECTED, _matching(runs=_observed(RUNS, drop=("message",))))
    assert [c.kind for c in drift.changes] == ["add_column"] and not drift.reprocess


def test_a_missing_table_is_created():
    tables = dict(_observed(t) for t in (ARTICLES, META))
    drift = compare(EXPECTED, Observed(tables))
    assert [(c.kind, c.table.name) for c in drift.changes] == [("create_table", "runs")]
    assert not drift.problems and not drift.fresh and not drift.reprocess  # a log starts empty


def test_a_not_null_the_contract_dropped_is_dropped():
    drift = compare(EXPECTED, _matching(runs=_observed(RUNS, message=("VARCHAR", False))))
    assert [(c.kind, c.column.name) for c in drift.changes] == [("drop_not_null", "message")]
    assert not drift.reprocess


@pytest.mark.parametrize("observed, expected", [
    (_observed(ARTICLES, drop=("body",)), "articles.body is missing (the contract declares it VARCHAR NOT NULL, and the rows"),
    (_observed(ARTICLES, word_count=("BIGINT", False)), "articles.word_count is BIGINT where the contract declares INTEGER"),
    (_observed(ARTICLES, body=("VARCHAR", True)), "articles.body allows nulls where the contract declares it NOT NULL"),
    ((("main", "articles"), _observed(ARTICLES)[1] + (ObservedColumn("notes", "VARCHAR", True),)),
     "articles.notes is not in the contract"),
])
def test_what_would_lose_or_invent_data_is_a_problem_named_by_table_and_column(observed, expected):
    drift = compare(EXPECTED, _matching(articles=observed))
    [problem] = drift.problems
    assert problem.describe().startswith(expected)
    assert drift.changes == () and drift.mismatched == {"articles"}


def test_a_view_in_place_of_a_table_is_a_problem():
    observed = Observed(dict(_observed(t) for t in (RUNS, META)), frozenset({("main", "articles")}))
    [problem] = compare(EXPECTED, observed).problems
    assert problem.describe() == "articles is a view where the contract declares a table; drop the view"


def test_the_internal_table_is_remade_whatever_it_holds():
    drift = compare(EXPECTED, _matching(meta=_observed(META, drop=("value",), key=("INTEGER", False))))
    assert [(c.kind, c.table.name) for c in drift.changes] == [("recreate_table", "_warehouse_meta")]
    assert not drift.problems


def test_a_rebuild_remakes_derived_tables_and_history_that_does_not_match():
    observed = _matching(articles=_observed(ARTICLES, drop=("body",)), runs=_observed(RUNS, run_id=("INTEGER", False)))
    drift = compare(EXPECTED, observed, rebuild=True)
    assert drift.problems == ()
    assert [(c.kind, c.table.name, c.reason.split(" ")[0]) for c in drift.changes] == [
        ("recreate_table", "articles", "rebuild"), ("recreate_table", "runs", "runs.run_id")]
    assert drift.mismatched == {"articles", "runs"} and drift.reprocess
    kept = compare(EXPECTED, _matching(), rebuild=True)
    assert [c.table.name for c in kept.changes] == ["articles"]  # matching history is kept


def test_the_message_is_one_line_naming_every_problem_and_the_fix():
    drift = compare(EXPECTED, _matching(articles=_observed(ARTICLES, drop=("body",)),
                                        runs=_observed(RUNS, run_id=("INTEGER", False))))
    message = drift_message(drift.problems)
    assert "\n" not in message
    assert "articles.body is missing" in message and "runs.run_id is INTEGER" in message
    assert "Nothing was written. Run `newsetl run --rebuild`" in message
    assert "the history in quarantine, validation_results is kept; runs re-created empty" in message


def test_expected_tables_cover_the_contract_staging_and_meta():
    names = {t.qualified for t in expected_tables()}
    assert names == {t.name for t in contract.TABLES} | {f"staging.{n}" for n in contract.STAGED_TABLES} \
        | {"_warehouse_meta"}
    staged = next(t for t in expected_tables() if t.qualified == "staging.articles")
    assert all(c.nullable for c in staged.columns)  # staging copies carry no constraints


def test_a_new_warehouse_observed_by_duckdb_matches_the_contract():
    from warehouse.schema import ensure_schema

    con = duckdb.connect()
    assert ensure_schema(con).fresh
    drift = compare(expected_tables(), observe(con))
    assert (drift.changes, drift.problems) == ((), ())


def _article() -> pl.DataFrame:
    return contract.rows_to_frame([{
        "article_id": "a", "seed_name": "a.txt", "content_sha256": "x", "input_format": "text", "encoding": "utf-8",
        "sitename": "Daily", "body": "Some text here.", "word_count": 3, "run_id": "r1",
        "ingested_at": datetime(2024, 1, 1)}], contract.ARTICLES)


def test_the_load_adds_a_dropped_nullable_column_with_its_comment(tmp_path):
    from warehouse.loader import LoadPlan, check_schema, load

    db = tmp_path / "w.duckdb"
    load(db, LoadPlan({"articles": _article()}, replace_article_ids=["a"]))
    with duckdb.connect(str(db)) as con:
        con.execute("ALTER TABLE articles DROP COLUMN sitename")
    assert [c.describe() for c in check_schema(db).changes] == ["added column articles.sitename (VARCHAR)"]
    load(db, LoadPlan({"articles": _article()}, replace_article_ids=["a"]))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT sitename FROM articles").fetchall() == [("Daily",)]
        [(comment,)] = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'articles' AND "
                                   "schema_name = 'main' AND column_name = 'sitename'").fetchall()
    assert comment == contract.ARTICLES.column("sitename").description
    assert check_schema(db).changes == ()


def test_a_blocking_drift_is_refused_before_the_load_changes_anything(tmp_path):
    from warehouse.loader import LoadPlan, check_schema, load

    db = tmp_path / "w.duckdb"
    load(db, LoadPlan({"articles": _article()}, replace_article_ids=["a"]))
    with duckdb.connect(str(db)) as con:
        con.execute("ALTER TABLE articles DROP COLUMN sitename")
        con.execute("ALTER TABLE articles ALTER COLUMN word_count TYPE BIGINT")
    with pytest.raises(SchemaDrift, match=r"articles\.word_count is BIGINT where the contract declares INTEGER"):
        check_schema(db)
    with pytest.raises(SchemaDrift):
        load(db, LoadPlan({"articles": _article()}, replace_article_ids=["a"]))
    with duckdb.connect(str(db), read_only=True) as con:  # not even the lossless part was applied
        columns = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'articles' "
                                             "AND schema_name = 'main'").fetchall()]
    assert "sitename" not in columns
    check_schema(db, rebuild=True)  # a rebuild passes


def test_a_rebuild_load_remakes_derived_tables_and_keeps_the_runs(tmp_path):
    from warehouse.loader import LoadPlan, load

    db = tmp_path / "w.duckdb"
    runs = contract.rows_to_frame([{"run_id": "r1", "started_at": datetime(2024, 1, 1), "status": "completed",
                                    "seeds_dir": "/s", "code_version": "v", **dict.fromkeys(
                                        ("files_seen", "files_new", "files_changed", "files_unchanged", "files_removed",
                                         "documents_processed", "files_loaded", "files_quarantined", "articles",
                                         "entities", "mentions", "quotes", "events"), 0)}], contract.RUNS)
    load(db, LoadPlan({"articles": _article(), "runs": runs}, replace_article_ids=["a"]))
    with duckdb.connect(str(db)) as con:
        con.execute("ALTER TABLE articles ALTER COLUMN word_count TYPE BIGINT")
        con.execute("ALTER TABLE articles ADD COLUMN notes VARCHAR")
    load(db, LoadPlan({"articles": _article().with_columns(pl.lit("b").alias("article_id"))},
                      replace_article_ids=["b"], rebuild=True))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT article_id FROM articles").fetchall() == [("b",)]  # "a" went with the old table
        assert con.execute("SELECT run_id FROM runs").fetchall() == [("r1",)]
        assert compare(expected_tables(), observe(con)).changes == ()

"""The export's IO (`warehouse.export_writer`): the writer on a small inline warehouse (incremental re-export,
never outside its folder), and the round trip of the seed warehouse read back with DuckDB and polars. (The
partition plan and manifest, pure, are `test_export.py`'s; the command's output `tests/cli/test_export.py`'s.)"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

import contract
from contract import Column, Table
from cli.main import main as cli_main
from tests.helpers.output_guard import sibling, unchanged
from tests.helpers.paths import SEEDS
from warehouse.export import MANIFEST_NAME, is_partitioned, partition_path
from warehouse.export_writer import ExportError, export_parquet
from warehouse.output_folder import OutputRefused
from warehouse.output_record import RECORD_NAME

# --- the writer on a small inline warehouse -------------------------------------------------------------

ARTICLES = Table("articles", "", "article", (
    Column("article_id", "VARCHAR", "", nullable=False), Column("published_date", "DATE", ""),
    Column("reference_date", "DATE", ""), Column("title", "VARCHAR", "")), ("article_id",))
QUOTES = Table("quotes", "", "article", (
    Column("quote_id", "VARCHAR", "", nullable=False), Column("article_id", "VARCHAR", "", nullable=False),
    Column("quote_text", "VARCHAR", "")), ("quote_id",))
STORIES = Table("stories", "", "corpus", (Column("story_id", "VARCHAR", ""), Column("title", "VARCHAR", "")),
                ("story_id",))
RUNS = Table("runs", "", "append", (
    Column("run_id", "VARCHAR", ""), Column("started_at", "TIMESTAMP", ""), Column("finished_at", "TIMESTAMP", ""),
    Column("status", "VARCHAR", "")), ("run_id",))
SMALL = (ARTICLES, QUOTES, STORIES, RUNS)


@pytest.fixture
def small_db(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "small.duckdb"))
    con.execute("""
        CREATE TABLE articles (article_id VARCHAR, published_date DATE, reference_date DATE, title VARCHAR);
        INSERT INTO articles VALUES ('a1', '2025-11-03', NULL, 'One'), ('a2', NULL, '2025-10-20', 'Two'),
                                    ('a3', NULL, NULL, 'Three'), ('a4', '2025-10-02', NULL, 'Four');
        CREATE TABLE quotes (quote_id VARCHAR, article_id VARCHAR, quote_text VARCHAR);
        INSERT INTO quotes VALUES ('q1', 'a1', 'yes'), ('q2', 'a1', 'no'), ('q3', 'a2', 'maybe');
        CREATE TABLE stories (story_id VARCHAR, title VARCHAR);
        CREATE TABLE runs (run_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR);
        INSERT INTO runs VALUES ('r1', '2025-11-01 10:00', '2025-11-01 10:01', 'completed'),
                                ('r2', '2025-11-02 10:00', '2025-11-02 10:01', 'completed'),
                                ('r3', '2025-11-03 10:00', NULL, 'failed');
    """)
    yield con
    con.close()


def test_small_export_partitions_by_article_month_and_re_exports_incrementally(small_db, tmp_path):
    out = tmp_path / "out"
    first = export_parquet(small_db, out, SMALL)
    assert first.run_id == "r2"
    assert sorted(p.path for p in first.plan.write) == [
        "articles/month=2025-10/part-0.parquet", "articles/month=2025-11/part-0.parquet",
        "articles/month=unknown/part-0.parquet", "quotes/month=2025-10/part-0.parquet",
        "quotes/month=2025-11/part-0.parquet", "runs/part-0.parquet", "stories/part-0.parquet"]
    assert duckdb.sql(f"SELECT count(*) FROM '{out}/stories/part-0.parquet'").fetchall() == [(0,)]  # empty, with schema
    months = duckdb.sql(f"SELECT quote_id, month FROM read_parquet('{out}/quotes/**/*.parquet', "
                        "hive_partitioning=true) ORDER BY quote_id").fetchall()
    assert months == [("q1", "2025-11"), ("q2", "2025-11"), ("q3", "2025-10")]

    second = export_parquet(small_db, out, SMALL)
    assert second.plan.write == [] and second.plan.remove == [] and len(second.plan.keep) == 7

    small_db.execute("UPDATE articles SET published_date = '2025-12-01' WHERE article_id = 'a2'")
    third = export_parquet(small_db, out, SMALL)  # a2 leaves 2025-10 (a4 stays; a2's quote was its only one)
    assert sorted(p.path for p in third.plan.write) == [
        "articles/month=2025-10/part-0.parquet", "articles/month=2025-12/part-0.parquet",
        "quotes/month=2025-12/part-0.parquet"]
    assert third.plan.remove == ["quotes/month=2025-10/part-0.parquet"]
    assert not (out / "quotes" / "month=2025-10").exists()
    assert not list(out.rglob("*.tmp"))
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert [p["month"] for p in manifest["tables"]["quotes"]["partitions"]] == ["2025-11", "2025-12"]
    assert manifest["tables"]["articles"]["rows"] == 4


def test_a_missing_file_is_written_again(small_db, tmp_path):
    out = tmp_path / "out"
    export_parquet(small_db, out, SMALL)
    (out / "stories" / "part-0.parquet").unlink()
    again = export_parquet(small_db, out, SMALL)
    assert [p.path for p in again.plan.write] == ["stories/part-0.parquet"]


def test_a_warehouse_without_a_table_of_the_contract_is_refused_before_anything_is_written(small_db, tmp_path):
    small_db.execute("DROP TABLE stories")
    with pytest.raises(ExportError, match="the warehouse has no stories table"):
        export_parquet(small_db, tmp_path / "out", SMALL)
    assert not (tmp_path / "out").exists()


# --- the seed warehouse round trip -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_export(scratch_warehouse, tmp_path_factory):
    db = scratch_warehouse(SEEDS)
    out = tmp_path_factory.mktemp("export") / "parquet"
    assert cli_main(["export", "--db", str(db), "--parquet", str(out)]) == 0
    return db, out


def _glob(out: Path, table: contract.Table) -> str:
    return f"{out}/{table.name}/**/*.parquet" if is_partitioned(table) else f"{out}/{table.name}/*.parquet"


@pytest.mark.e2e
@pytest.mark.slow
def test_every_table_reads_back_with_duckdb_and_polars(seeds_export):
    db, out = seeds_export
    con = duckdb.connect(str(db), read_only=True)
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    try:
        assert manifest["run_id"] == con.execute("SELECT run_id FROM runs WHERE status = 'completed' "
                                                 "ORDER BY finished_at DESC LIMIT 1").fetchone()[0]
        for table in contract.TABLES:
            count = con.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
            assert manifest["tables"][table.name]["rows"] == count, table.name
            assert [c["name"] for c in manifest["tables"][table.name]["columns"]] == table.column_names
            if count == 0 and is_partitioned(table):
                continue  # an empty article-level table has no partition to read
            hive = "true" if is_partitioned(table) else "false"
            back = duckdb.sql(f"SELECT count(*) FROM read_parquet('{_glob(out, table)}', hive_partitioning={hive})")
            assert back.fetchall() == [(count,)], table.name
            frame = pl.scan_parquet(_glob(out, table), hive_partitioning=is_partitioned(table)).collect()
            assert frame.height == count, table.name
            assert frame.columns[:len(table.column_names)] == table.column_names
        # a few values: the articles' ids, titles and months
        expected = con.execute("SELECT article_id, title, coalesce(strftime(coalesce(published_date, reference_date), "
                               "'%Y-%m'), 'unknown') FROM articles ORDER BY article_id").fetchall()
        got = duckdb.sql(f"SELECT article_id, title, month FROM read_parquet('{out}/articles/**/*.parquet', "
                         "hive_partitioning=true) ORDER BY article_id").fetchall()
        assert got == expected
        # and the quotes, with polars: each under its article's month
        quotes = pl.scan_parquet(f"{out}/quotes/**/*.parquet", hive_partitioning=True).select(
            "quote_id", "article_id", "quote_text", "month").sort("quote_id").collect()
        month_of = {article_id: month for article_id, _, month in expected}
        assert [(q, a, t, month_of[a]) for q, a, t in con.execute(
            "SELECT quote_id, article_id, quote_text FROM quotes ORDER BY quote_id").fetchall()] == quotes.rows()
    finally:
        con.close()


@pytest.mark.e2e
@pytest.mark.slow
def test_seed_re_export_rewrites_nothing_then_only_what_a_month_change_touches(seeds_export, tmp_path, capsys):
    db, out = seeds_export
    files = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    capsys.readouterr()
    assert cli_main(["export", "--db", str(db), "--parquet", str(out)]) == 0
    assert "0 partitions written" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == files

    copy = tmp_path / "edited.duckdb"
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    article, month = con.execute(
        "SELECT article_id, strftime(coalesce(published_date, reference_date), '%Y-%m') FROM articles "
        "WHERE published_date IS NOT NULL ORDER BY article_id LIMIT 1").fetchone()
    con.execute("UPDATE articles SET published_date = DATE '2019-06-15' WHERE article_id = ?", [article])
    tables = [t.name for t in contract.TABLES if is_partitioned(t)
              and con.execute(f'SELECT count(*) FROM "{t.name}" WHERE article_id = ?', [article]).fetchone()[0]]
    con.close()
    edited = duckdb.connect(str(copy), read_only=True)
    try:
        report = export_parquet(edited, out)
    finally:
        edited.close()
    listed = {p["path"] for entry in json.loads((out / MANIFEST_NAME).read_text())["tables"].values()
              for p in entry["partitions"]}
    # the article's rows move to month=2019-06 in every table that has some; its old month's partitions are
    # rewritten without them, or removed when no other article is left in that month
    moved = {partition_path(t, m) for t in tables for m in ("2019-06", month)}
    assert {p.path for p in report.plan.write} == moved & listed
    assert set(report.plan.remove) == moved - listed
    assert {partition_path(t, "2019-06") for t in tables} <= listed
    assert not list(out.rglob("*.tmp"))


# --- the export stays in its folder ---------------------------------------------------------------------


def _forge_manifest(out: Path, *paths: str) -> None:
    """Add partitions to the export's manifest as a careless or hostile hand would."""
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    manifest["tables"]["stories"]["partitions"] += [{"path": p, "month": None, "rows": 1, "hash": "x"} for p in paths]
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))


def test_a_manifest_naming_files_outside_the_folder_removes_nothing_there(small_db, tmp_path, capsys):
    out, outside = tmp_path / "out", sibling(tmp_path)
    export_parquet(small_db, out, SMALL)
    _forge_manifest(out, "../sibling/victim.txt", str(outside / "deep" / "index.html"), "stories/../../sibling/victim.txt")
    with unchanged(outside):
        again = export_parquet(small_db, out, SMALL)
    assert again.plan.remove == []
    assert len(again.notes) == 3 and all("not a path inside the export folder" in n for n in again.notes)


def test_a_user_file_in_the_export_folder_is_kept_and_a_gone_partition_removed(small_db, tmp_path):
    out, outside = tmp_path / "out", sibling(tmp_path)
    out.mkdir()
    (out / "README.txt").write_text("my notes about this export")
    (out / "quotes").mkdir()
    (out / "quotes" / "extra.parquet").write_text("a user's own file")
    with unchanged(outside):
        export_parquet(small_db, out, SMALL)
        small_db.execute("DELETE FROM quotes WHERE article_id = 'a2'")
        again = export_parquet(small_db, out, SMALL)
    assert again.plan.remove == ["quotes/month=2025-10/part-0.parquet"]
    assert (out / "README.txt").exists() and (out / "quotes" / "extra.parquet").exists()
    record = json.loads((out / RECORD_NAME).read_text())
    assert record["command"] == "export" and MANIFEST_NAME in record["files"]
    assert "quotes/month=2025-10/part-0.parquet" not in record["files"]


def test_a_symlinked_table_folder_is_refused_and_its_target_untouched(small_db, tmp_path):
    out, outside = tmp_path / "out", sibling(tmp_path)
    out.mkdir()
    os.symlink(outside / "deep", out / "stories")
    with unchanged(outside):
        with pytest.raises(OutputRefused, match="stories is a symbolic link"):
            export_parquet(small_db, out, SMALL)
    assert sorted(p.name for p in out.iterdir()) == ["stories"]


def test_leftover_temporaries_of_a_killed_export_are_removed_and_a_users_are_not(small_db, tmp_path):
    out = tmp_path / "out"
    export_parquet(small_db, out, SMALL)
    (out / "stories" / ".part-0.parquet.999999.tmp").write_bytes(b"half a file")
    (out / "stories" / "part-0.parquet.tmp").write_bytes(b"a user's")
    export_parquet(small_db, out, SMALL)
    assert sorted(p.name for p in (out / "stories").iterdir()) == ["part-0.parquet", "part-0.parquet.tmp"]


def test_an_export_folder_from_before_the_record_loses_only_its_own_gone_partitions(small_db, tmp_path):
    out, outside = tmp_path / "out", sibling(tmp_path)
    export_parquet(small_db, out, SMALL)
    (out / RECORD_NAME).unlink()  # as an older newsetl left it: the manifest alone
    _forge_manifest(out, "../sibling/victim.txt", "articles/month=2020-01/part-0.parquet")
    (out / "articles" / "month=2020-01").mkdir()
    (out / "articles" / "month=2020-01" / "part-0.parquet").write_bytes(b"old")
    (out / "notes.parquet").write_bytes(b"a user's")
    with unchanged(outside):
        again = export_parquet(small_db, out, SMALL)
    assert again.plan.remove == ["articles/month=2020-01/part-0.parquet"]
    assert (out / "notes.parquet").exists() and not (out / "articles" / "month=2020-01").exists()

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime

import duckdb
import polars as pl
import pytest

import contract
from warehouse.loader import LoadPlan, load
from tests.helpers.paths import ROOT


def _article(article_id: str, body: str = "Some text here.") -> pl.DataFrame:
    return contract.conform(pl.DataFrame([{
        "article_id": article_id, "seed_name": f"{article_id}.txt", "content_sha256": "x", "input_format": "text",
        "encoding": "utf-8", "body": body, "word_count": 3, "run_id": "r1", "ingested_at": datetime(2024, 1, 1)}]), contract.ARTICLES)


def _count(db, table="articles"):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_replace_and_retract(tmp_path):
    db = tmp_path / "w.duckdb"
    load(db, LoadPlan({"articles": pl.concat([_article("a"), _article("b")])}, replace_article_ids=["a", "b"]))
    load(db, LoadPlan({"articles": _article("a", "New text.")}, replace_article_ids=["a"], retract_article_ids=["b"]))
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT article_id, body FROM articles").fetchall() == [("a", "New text.")]


def test_failed_load_changes_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    load(db, LoadPlan({"articles": _article("a")}, replace_article_ids=["a"]))
    broken = _article("b").with_columns(pl.lit(None, dtype=pl.String).alias("body"))  # violates NOT NULL
    with pytest.raises(duckdb.Error):
        load(db, LoadPlan({"articles": broken}, replace_article_ids=["a", "b"]))
    assert _count(db) == 1  # the delete of "a" was rolled back with the failed insert


@contextmanager
def _reader_holding(db):
    """Another process with the warehouse open read-only (an analyst's session), closed on exit."""
    duckdb.connect(str(db)).close()
    reader = subprocess.Popen([sys.executable, "-c", "import duckdb, time; "
                               f"c = duckdb.connect({str(db)!r}, read_only=True); print('open', flush=True); "
                               "time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        yield
    finally:
        reader.kill()
        reader.wait()


def test_a_reader_in_another_process_gets_a_clear_message_not_a_crash(tmp_path):
    from warehouse.loader import WarehouseInUse, connect

    db = tmp_path / "news.duckdb"
    with _reader_holding(db):
        started = time.monotonic()
        with pytest.raises(WarehouseInUse, match="Close read-only sessions"):
            connect(db, wait_seconds=1.0)
        assert time.monotonic() - started >= 1.0  # it waited for the reader first
    connect(db, wait_seconds=5.0).close()  # the reader is gone: writing works again


def test_pre_flight_finds_a_reader_a_folder_and_an_impossible_path_at_once(tmp_path):
    from warehouse.loader import WarehouseInUse, WarehouseNotWritable, check_writable

    check_writable(tmp_path / "new" / "news.duckdb")  # a new warehouse in a folder that can be made
    with pytest.raises(WarehouseNotWritable, match="is a folder"):
        check_writable(tmp_path)
    (tmp_path / "plain.txt").write_text("not a folder")
    with pytest.raises(WarehouseNotWritable, match="cannot create"):
        check_writable(tmp_path / "plain.txt" / "news.duckdb")
    db = tmp_path / "news.duckdb"
    with _reader_holding(db):
        started = time.monotonic()
        with pytest.raises(WarehouseInUse, match="Close read-only sessions"):
            check_writable(db)
        assert time.monotonic() - started < 5  # no waiting: the run has not started its work
    check_writable(db)


# A Prefect task whose load fails: Prefect keeps the exception (and its traceback) until the process exits.
_FAILING_LOAD_IN_A_TASK = """
import sys
from datetime import datetime
import polars as pl
from prefect import flow, task
from prefect.cache_policies import NONE
import contract
from warehouse.loader import LoadPlan, load

@task(cache_policy=NONE)
def load_task(db):
    row = {"article_id": "a", "seed_name": "a.txt", "content_sha256": "x", "input_format": "text",
           "encoding": "utf-8", "body": None, "word_count": 3, "run_id": "r", "ingested_at": datetime(2024, 1, 1)}
    load(db, LoadPlan({"articles": contract.rows_to_frame([row], contract.ARTICLES)}, replace_article_ids=["a"]))

@flow
def failing(db):
    load_task(db)

try:
    failing(sys.argv[1])
except Exception as exc:
    print("failed as expected:", type(exc).__name__, file=sys.stderr)
"""


@pytest.mark.e2e
@pytest.mark.slow
def test_a_load_failing_inside_prefect_leaves_no_duckdb_object_alive_at_exit(tmp_path):
    """DuckDB's bindings (nanobind) print pages of "leaked instance/function" warnings at exit when a
    connection is still referenced then, as it was from the traceback Prefect keeps of a failed task."""
    result = subprocess.run([sys.executable, "-c", _FAILING_LOAD_IN_A_TASK, str(tmp_path / "w.duckdb")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_LOGGING_LEVEL": "CRITICAL"})
    assert "failed as expected: ConstraintException" in result.stderr, result.stderr
    assert "leaked" not in result.stderr, result.stderr[-2000:]

from datetime import datetime

import duckdb
import polars as pl
import pytest

from warehouse import contract
from warehouse.loader import LoadPlan, load


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

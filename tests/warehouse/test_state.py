"""What an incremental run reads back from the warehouse: the manifest, the staged rows of the articles it
keeps (in extraction order), the last seeds folder and the loaded articles; and the same answers, empty, for a
warehouse that does not exist yet."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

import contract
from warehouse.loader import LoadPlan, load
from warehouse.state import existing_article_ids, last_seeds_dir, read_manifest, read_staged

COUNTS = ("files_seen", "files_new", "files_changed", "files_unchanged", "files_removed", "documents_processed",
          "files_loaded", "files_quarantined", "articles", "entities", "mentions", "quotes", "events")


def _run(run_id: str, status: str, hour: int, seeds_dir: str) -> dict:
    return {"run_id": run_id, "started_at": datetime(2026, 1, 5, hour), "status": status, "seeds_dir": seeds_dir,
            "code_version": "v1", **dict.fromkeys(COUNTS, 0)}


def _article(article_id: str) -> dict:
    return {"article_id": article_id, "seed_name": f"{article_id}.txt", "content_sha256": "0" * 64,
            "input_format": "text", "encoding": "utf-8", "body": "The pier reopened.", "word_count": 3,
            "run_id": "r1", "ingested_at": datetime(2026, 1, 5, 9)}


def _quote(quote_id: str, article_id: str) -> dict:
    return {"quote_id": quote_id, "article_id": article_id, "quote_text": "reopened", "is_partial": False,
            "quote_kind": "direct", "attribution_method": "explicit", "confidence": 1.0,
            "speaker_status": "attributed", "start_char": 9, "end_char": 17}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("state") / "news.duckdb"
    manifest = [{"seed_name": "a.txt", "article_id": "a", "status": "loaded", "code_version": "v1",
                 "first_seen_run": "r1", "processed_run": "r1", "seen_run": "r1"}]
    quotes = [_quote("q3", "a"), _quote("q1", "b"), _quote("q2", "a")]  # extraction order, not sorted
    load(path, LoadPlan(
        frames={"articles": contract.rows_to_frame([_article("a"), _article("b")], contract.ARTICLES),
                "manifest": contract.rows_to_frame(manifest, contract.MANIFEST),
                "runs": contract.rows_to_frame([_run("r1", "completed", 9, "/seeds/old"),
                                                _run("r2", "noop", 10, "/seeds/new"),
                                                _run("r3", "failed", 11, "/seeds/wrong")], contract.RUNS)},
        replace_article_ids=["a", "b"],
        staging_frames={"quotes": contract.rows_to_frame(quotes, contract.QUOTES)}))
    return path


def test_the_manifest_reads_back_shaped_to_the_contract(db):
    manifest = read_manifest(db)
    assert manifest.columns == contract.MANIFEST.column_names
    assert manifest.select("seed_name", "status").rows() == [("a.txt", "loaded")]


def test_staged_rows_come_back_for_the_asked_articles_in_extraction_order(db):
    staged = read_staged(db, ["a"])
    assert set(staged) == set(contract.STAGED_TABLES)
    assert staged["quotes"]["quote_id"].to_list() == ["q3", "q2"]
    assert staged["quotes"].columns == contract.QUOTES.column_names
    assert staged["articles"].height == 0  # nothing of `a` was staged there
    assert all(frame.height == 0 for frame in read_staged(db, []).values())


def test_the_last_seeds_folder_is_that_of_the_last_run_that_completed_or_had_nothing_to_do(db):
    assert last_seeds_dir(db) == "/seeds/new"


def test_the_loaded_articles_are_listed(db):
    assert sorted(existing_article_ids(db)) == ["a", "b"]


def test_a_warehouse_not_made_yet_reads_as_empty(tmp_path):
    absent = tmp_path / "absent.duckdb"
    assert read_manifest(absent).height == 0 and read_manifest(absent).columns == contract.MANIFEST.column_names
    assert all(frame.height == 0 for frame in read_staged(absent, ["a"]).values())
    assert last_seeds_dir(absent) is None and existing_article_ids(absent) == []
    assert not absent.exists()  # reading created nothing
    other = tmp_path / "other.duckdb"  # a DuckDB file without our tables
    duckdb.connect(str(other)).close()
    assert read_manifest(other).height == 0 and last_seeds_dir(other) is None and existing_article_ids(other) == []

"""The GX gate: rows breaking an expectation are quarantined, exactly those, and the rest load."""

import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from flows.validate import validate_frames
from transforms.article import CleanedArticle, Metadata
from transforms.corpus import derive_corpus
from transforms.extract import analyze_batch

ROOT = Path(__file__).resolve().parents[2]
BODY = ("Mayor Elena Marsh opened the new bridge in Lowtown on Monday. “It took ten years,” she said. "
        "Officials said the bridge cost 40 million euros.")


@pytest.fixture(scope="module")
def frames(nlp):
    articles = [CleanedArticle(f"id{i}", f"doc{i}.txt", "sha", 10, "text", "utf-8", BODY, BODY,
                               Metadata(title=f"Bridge {i}"), ()) for i in range(2)]
    return derive_corpus(analyze_batch(articles, nlp, "run1", datetime(2024, 1, 1)))


@pytest.fixture()
def gx_project(tmp_path):
    shutil.copytree(ROOT / "expectations" / "gx", tmp_path / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    return tmp_path


def test_clean_frames_pass_untouched(frames, gx_project):
    outcome = validate_frames(frames, gx_project, "run1", build_docs=False)
    assert outcome.quarantine.height == 0
    assert all(outcome.frames[name].height == frame.height for name, frame in frames.items())
    assert outcome.results and all(r["success"] for r in outcome.results)


def test_broken_rows_are_quarantined_exactly(frames, gx_project):
    mentions = frames["entity_mentions"]
    broken = dict(frames)
    # Break two mentions: one offset that no longer reproduces its surface, one unknown entity type label.
    broken["entity_mentions"] = mentions.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.col("end_char") + 1).otherwise(pl.col("end_char"))
        .alias("end_char"),
        pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("sideways")).otherwise(pl.col("text_field"))
        .alias("text_field"))
    outcome = validate_frames(broken, gx_project, "run1", build_docs=True)
    bad_keys = set(mentions["mention_id"][:2])
    assert set(outcome.quarantine["record_key"]) == bad_keys
    assert outcome.frames["entity_mentions"].height == mentions.height - 2
    assert set(outcome.frames["entity_mentions"]["mention_id"]).isdisjoint(bad_keys)
    checks = set(outcome.quarantine["check_name"])
    assert any("surface" in c for c in checks) and any("text_field" in c for c in checks)
    assert outcome.data_docs and Path(outcome.data_docs.removeprefix("file://")).exists()


def test_failing_article_takes_its_rows_along(frames, gx_project):
    broken = dict(frames)
    broken["articles"] = frames["articles"].with_columns(
        pl.when(pl.col("article_id") == "id0").then(pl.lit("pdf")).otherwise(pl.col("input_format"))
        .alias("input_format"))
    outcome = validate_frames(broken, gx_project, "run1", build_docs=False)
    assert outcome.frames["articles"]["article_id"].to_list() == ["id1"]
    for name in ("raw_documents", "entity_mentions", "quotes", "article_entities"):
        assert frames[name].height > 0
        assert set(outcome.frames[name]["article_id"]) == {"id1"}
    assert "article_quarantined" in set(outcome.quarantine["check_name"])

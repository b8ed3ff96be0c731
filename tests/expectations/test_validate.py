"""The GX gate: rows breaking an expectation are quarantined, exactly those, and the rest load."""

import shutil
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from expectations.validate import validate_frames
from transforms.article import CleanedArticle, Metadata
from transforms.resolve.corpus import derive_corpus
from contract.window import DateWindow
from transforms.extract.document import analyze_batch

ROOT = Path(__file__).resolve().parents[2]
RUN_WINDOW = DateWindow(date(2026, 12, 1))
BODY = ("Mayor Elena Marsh opened the new bridge in Lowtown on Monday. “It took ten years,” she said. "
        "Officials said the bridge cost 40 million euros. Clashes broke out near the bridge on Tuesday.")


@pytest.fixture(scope="module")
def frames(nlp):
    # Two bodies one word apart: the second is a repost of the first (an identical body would be a duplicate,
    # with no analysis rows of its own).
    bodies = (BODY, BODY.replace("ten years", "eleven years"))
    articles = [CleanedArticle(f"id{i}", f"doc{i}.txt", "sha", 10, "text", "utf-8", body, body,
                               Metadata(title=f"Bridge {i}", published_date=date(2024, 3, 7)), ())
                for i, body in enumerate(bodies)]
    return derive_corpus(analyze_batch(articles, nlp, "run1", datetime(2024, 1, 1)), RUN_WINDOW)


@pytest.fixture()
def gx_project(tmp_path):
    shutil.copytree(ROOT / "expectations" / "gx", tmp_path / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    return tmp_path


def test_clean_frames_pass_untouched(frames, gx_project):
    outcome = validate_frames(frames, gx_project, "run1", RUN_WINDOW, build_docs=False)
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
    outcome = validate_frames(broken, gx_project, "run1", RUN_WINDOW, build_docs=True)
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
    outcome = validate_frames(broken, gx_project, "run1", RUN_WINDOW, build_docs=False)
    assert outcome.frames["articles"]["article_id"].to_list() == ["id1"]
    for name in ("raw_documents", "entity_mentions", "quotes", "article_entities"):
        assert frames[name].height > 0
        assert set(outcome.frames[name]["article_id"]) == {"id1"}
    assert "article_quarantined" in set(outcome.quarantine["check_name"])


def test_one_broken_expectation_is_reported_everywhere(frames, gx_project):
    quotes = frames["quotes"]
    assert quotes.height >= 2
    broken = dict(frames)
    broken["quotes"] = quotes.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(-0.5).otherwise(pl.col("confidence")).alias("confidence"))
    outcome = validate_frames(broken, gx_project, "run-broken", RUN_WINDOW, build_docs=True)
    # Exactly the bad row is quarantined; everything else loads.
    assert outcome.quarantine["record_key"].to_list() == [quotes["quote_id"][0]]
    assert outcome.frames["quotes"].height == quotes.height - 1
    assert all(outcome.frames[name].height == frame.height for name, frame in frames.items() if name != "quotes")
    # validation_results rows: one failure, with its count.
    failed = [r for r in outcome.results if not r["success"]]
    assert [(r["table_name"], r["expectation"], r["column_name"], r["unexpected_count"]) for r in failed] == \
        [("quotes", "expect_column_values_to_be_between", "confidence", 1)]
    assert len({r["result_id"] for r in outcome.results}) == len(outcome.results)
    # Data Docs: the quotes page of this run shows the failed expectation.
    site = Path(outcome.data_docs.removeprefix("file://")).parent
    pages = [p for p in (site / "validations" / "quotes").rglob("*.html") if "run-broken" in str(p)]
    assert pages and "confidence" in pages[0].read_text() and "Failed" in pages[0].read_text()


def test_row_checks_catch_impossible_dates(frames, gx_project):
    events = frames["events"]
    dated = events.filter(pl.col("event_date").is_not_null())
    assert dated.height >= 1
    target = dated["event_id"][0]
    broken = dict(frames)
    broken["events"] = events.with_columns(
        pl.when(pl.col("event_id") == target).then(pl.date(2999, 1, 1)).otherwise(pl.col("event_date"))
        .alias("event_date"))
    outcome = validate_frames(broken, gx_project, "run-dates", RUN_WINDOW, build_docs=False)
    rows = outcome.quarantine.filter(pl.col("table_name") == "events")
    assert rows["record_key"].to_list() == [target]
    assert "date plausible event date date precision is false" in rows["reason"].to_list()
    # Rows that required the quarantined event follow it; optional references to it are cleared.
    followers = outcome.quarantine.filter(pl.col("check_name") == "reference_quarantined")
    assert set(followers["table_name"]) <= {"story_events", "conflicts"}
    assert target not in set(outcome.frames["event_mentions"]["event_id"].drop_nulls())
    assert outcome.frames["event_mentions"].height == frames["event_mentions"].height
    assert outcome.frames["events"].height == events.height - 1


def test_a_missing_offset_is_caught_by_its_span_rule(frames, gx_project):
    quotes = frames["quotes"]
    broken = dict(frames)
    broken["quotes"] = quotes.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col("start_char")).alias("start_char"))
    outcome = validate_frames(broken, gx_project, "run-null", RUN_WINDOW, build_docs=False)
    assert outcome.quarantine["record_key"].to_list() == [quotes["quote_id"][0]]
    assert outcome.quarantine["reason"].to_list() == ["quote text matches text is false"]


def test_an_implausible_publication_date_costs_the_field_not_the_article(frames, gx_project):
    broken = dict(frames)
    broken["articles"] = frames["articles"].with_columns(
        pl.when(pl.col("article_id") == "id0").then(pl.date(2099, 5, 1)).otherwise(pl.col("published_date"))
        .alias("published_date"),
        pl.when(pl.col("article_id") == "id0").then(pl.date(1850, 1, 1)).otherwise(pl.col("reference_date"))
        .alias("reference_date"))
    outcome = validate_frames(broken, gx_project, "run-fields", DateWindow(date(2024, 3, 10)), build_docs=False)
    articles = outcome.frames["articles"].sort("article_id")
    assert articles["article_id"].to_list() == ["id0", "id1"]
    assert outcome.quarantine.filter(pl.col("table_name") == "articles").height == 0
    repaired, untouched = articles.row(0, named=True), articles.row(1, named=True)
    assert repaired["published_date"] is None and repaired["reference_date"] is None
    assert repaired["reference_precision"] is None and repaired["reference_date_source"] is None
    assert repaired["published_date_source"] is None
    issues = repaired["field_issues"]
    assert len(issues) == 2 and issues[0].startswith("published_date:") and "2099-05-01" in issues[0]
    assert "1850-01-01" in issues[1]
    assert untouched["published_date"] == date(2024, 3, 7) and untouched["field_issues"] == []


def test_stored_gx_results_are_pruned_without_data_docs(frames, gx_project):
    """GX writes every run's results under the project: only the newest KEEP_RESULT_RUNS per table stay."""
    import os

    from expectations.validate import KEEP_RESULT_RUNS

    quotes = gx_project / "gx" / "uncommitted" / "validations" / "quotes"
    for day in range(KEEP_RESULT_RUNS + 5):
        old = quotes / f"2024010{day % 10}T000000Z-r{day:04x}" / "20240101T000000.000000Z" / "frames-quotes.json"
        old.parent.mkdir(parents=True)
        old.write_text("{}")
        os.utime(old, (1_700_000_000 + day, 1_700_000_000 + day))
    validate_frames(frames, gx_project, "run-prune", RUN_WINDOW, build_docs=False)
    kept = list(quotes.rglob("*.json"))
    assert len(kept) == KEEP_RESULT_RUNS and any("run-prune" in str(p) for p in kept)
    assert all(any(folder.iterdir()) for folder in quotes.iterdir())  # emptied run folders are gone


def test_a_list_column_is_still_checked_for_presence(frames, gx_project):
    """List columns reach GX as their lengths (cheap to fingerprint); a missing list is still caught."""
    entities = frames["article_entities"]
    broken = {**frames, "article_entities": entities.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col("surfaces")).alias("surfaces"))}
    outcome = validate_frames(broken, gx_project, "run1", RUN_WINDOW, build_docs=False)
    rows = outcome.quarantine.filter(pl.col("table_name") == "article_entities")
    assert rows.height == 1 and "surfaces" in rows["check_name"][0]
    assert outcome.frames["article_entities"]["surfaces"].dtype == entities["surfaces"].dtype  # loaded as lists

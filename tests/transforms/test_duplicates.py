"""Duplicates and reposts (invented articles): identical bodies are one article, lightly edited copies are
linked and count as one source, independent write-ups of one event are not linked."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from transforms.article import CleanedArticle, Metadata
from transforms.corpus import derive_corpus
from transforms.duplicates import mark_copies, similar_pairs, source_of
from transforms.extract import analyze_batch
import contract

ORIGINAL = (
    "Dockworkers and the port authority of Velmora signed a truce on Tuesday, ending nine days of strikes "
    "that had left more than forty cargo ships waiting outside the harbour.\n\n"
    "The agreement, reached after overnight talks in the town hall, raises night-shift pay by twelve percent "
    "and sets up a joint safety committee. \u201cNobody won everything, but the cranes will move again,\u201d "
    "union leader Tomas Berg told reporters outside the building.\n\n"
    "Port director Ilse Havel said the first ships would be unloaded by Thursday morning and that the backlog "
    "of containers should be cleared within two weeks. Fishermen, who had been blocked from the inner basin, "
    "welcomed the deal but asked for compensation for the lost catch."
)
# The same text re-published: a line added at the end, a few words changed.
REPOST = (ORIGINAL.replace("more than forty", "over forty").replace("overnight", "late-night")
          + "\n\nThis story was first published by the Velmora Courier.")
# The same event written up independently: same names, a shared quote, different wording.
INDEPENDENT = (
    "A nine-day strike at the port of Velmora is over. Union leader Tomas Berg and port director Ilse Havel "
    "announced the truce on Tuesday after talks that lasted through the night.\n\n"
    "Under the deal, workers on night shifts get a pay rise of twelve percent, and a committee of both sides "
    "will review safety on the quays. \u201cNobody won everything, but the cranes will move again,\u201d Berg said.\n\n"
    "Shipping agents said dozens of vessels had been diverted to other ports during the stoppage, and some "
    "freight companies warned that delivery delays would last into next month."
)


def articles_frame(rows: list[tuple[str, str, str | None]]) -> pl.DataFrame:
    """(seed_name, body, source_domain) -> an `articles` frame with ids derived from the names."""
    return contract.rows_to_frame([{"article_id": f"id-{name}", "seed_name": name, "body": body,
                                    "source_domain": domain} for name, body, domain in rows], contract.ARTICLES)


def marks(frame: pl.DataFrame) -> dict[str, tuple]:
    marked = mark_copies(frame)
    return {r["seed_name"]: (r["duplicate_of"], r["repost_of"], r["repost_similarity"])
            for r in marked.iter_rows(named=True)}


def test_identical_bodies_point_at_the_file_with_the_smallest_name():
    # The frame lists the later copy first: the original is chosen by name, not by row order.
    found = marks(articles_frame([("b-copy.txt", ORIGINAL, "b.example"), ("a.txt", ORIGINAL, "a.example"),
                                  ("c.txt", INDEPENDENT, "c.example")]))
    assert found["b-copy.txt"][0] == "id-a.txt"
    assert found["a.txt"] == (None, None, None) and found["c.txt"][0] is None
    assert found["b-copy.txt"][1] is None  # a duplicate is not also a repost


def test_repost_with_a_new_line_and_changed_words_is_linked_to_the_original():
    found = marks(articles_frame([("1.txt", ORIGINAL, "a.example"), ("2.txt", REPOST, "b.example")]))
    duplicate_of, repost_of, similarity = found["2.txt"]
    assert duplicate_of is None and repost_of == "id-1.txt"
    assert contract.REPOST_MIN_SIMILARITY <= similarity < 1.0
    assert found["1.txt"] == (None, None, None)


def test_two_outlets_writing_up_one_event_are_not_linked():
    found = marks(articles_frame([("1.txt", ORIGINAL, "a.example"), ("2.txt", INDEPENDENT, "b.example")]))
    assert found["2.txt"] == (None, None, None)
    assert not similar_pairs([ORIGINAL, INDEPENDENT], 0.1)  # far from the threshold, not just under it


def test_a_repost_of_a_repost_counts_as_the_first_source():
    frame = articles_frame([("1.txt", ORIGINAL, "courier.example"), ("2.txt", REPOST, "wire.example"),
                            ("3.txt", REPOST + " More soon.", None), ("4.txt", INDEPENDENT, "other.example")])
    chain = frame.with_columns(repost_of=pl.Series([None, "id-1.txt", "id-2.txt", None], dtype=pl.String))
    sources = dict(source_of(chain).iter_rows())
    assert sources == {"id-1.txt": "courier.example", "id-2.txt": "courier.example",
                       "id-3.txt": "courier.example", "id-4.txt": "other.example"}


def _cleaned(name: str, body: str, domain: str) -> CleanedArticle:
    meta = Metadata(title=f"Port strike over ({domain})", published_date=date(2024, 5, 8), source_domain=domain)
    return CleanedArticle(f"id-{name}", name, "sha", len(body), "text", "utf-8", body, body, meta, ())


@pytest.fixture(scope="module")
def corpus(nlp):
    """(with copies, without): derived frames of the original and an independent report, with and without an
    identical copy and a repost of the original by two more outlets."""
    def derive(articles: list[CleanedArticle]):
        return derive_corpus(analyze_batch(articles, nlp, "run", datetime(2024, 5, 9)))

    base = [_cleaned("1.txt", ORIGINAL, "courier.example"), _cleaned("4.txt", INDEPENDENT, "ledger.example")]
    copies = [_cleaned("2.txt", ORIGINAL, "mirror.example"), _cleaned("3.txt", REPOST, "aggregator.example")]
    return derive(base + copies), derive(base)


def _truce(frames) -> dict:
    [truce] = frames["story_events"].filter(pl.col("event_type") == "ceasefire").iter_rows(named=True)
    return truce


def test_a_duplicate_and_a_repost_add_no_source(corpus):
    with_copies, without = corpus
    truce = _truce(with_copies)
    assert truce["source_count"] == _truce(without)["source_count"] == 2
    assert truce["article_count"] == 3  # the repost is an article of its own; the duplicate is not counted
    [story] = with_copies["stories"].iter_rows(named=True)
    assert (story["article_count"], story["source_count"]) == (3, 2)


def test_a_duplicate_keeps_its_file_rows_and_nothing_else(corpus):
    with_copies, without = corpus
    articles = with_copies["articles"]
    [copy] = articles.filter(pl.col("seed_name") == "2.txt").iter_rows(named=True)
    [original] = articles.filter(pl.col("seed_name") == "1.txt").iter_rows(named=True)
    assert copy["duplicate_of"] == original["article_id"] and copy["story_id"] == original["story_id"]
    assert copy["reference_date"] == original["reference_date"]
    assert articles["seed_name"].to_list() == ["1.txt", "4.txt", "2.txt", "3.txt"]  # input order kept
    assert "id-2.txt" in set(with_copies["raw_documents"]["article_id"])
    for name in ("entity_mentions", "quotes", "event_mentions", "events", "temporal_expressions"):
        assert "id-2.txt" not in set(with_copies[name]["article_id"]), name
    assert "id-3.txt" in set(with_copies["events"]["article_id"])  # a repost keeps its rows
    entities = {r["canonical_name"]: r["article_count"] for r in with_copies["entities"].iter_rows(named=True)}
    assert entities["Tomas Berg"] == 3  # the original, the repost and the independent report

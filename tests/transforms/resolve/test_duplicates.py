"""Duplicates and reposts (invented articles; the ECB+ gate runs on real ones when ../shared is beside the
checkout): identical bodies are one article, lightly edited copies are linked and count as one source,
independent write-ups of one event are not linked."""

from __future__ import annotations

import json
import random
from datetime import date, datetime

import polars as pl
import pytest

from tests.helpers.paths import ROOT

from transforms.article import CleanedArticle, Metadata
from transforms.resolve.corpus import derive_corpus
from contract.window import DateWindow
from transforms.resolve.duplicates import mark_copies, similar_pairs, source_of
from transforms.extract.document import analyze_batch
import contract

ECB = ROOT.parent / "shared" / "ecb-dev" / "docs.jsonl"
# ECB+ pairs read side by side and found to be one wire or press text re-published with edits or cuts: AP's
# Klitschko report (seven outlets), AP's Lohan report (three), a Reuters obituary, a wire report on the Athens
# bank fire, a press release on a newswire, one entertainment brief.
ECB_COPIES = {(f"{a}ecbplus", f"{b}ecbplus") for a, b in (
    ("1_17", "1_6"), ("1_21", "1_2"), ("1_2", "1_5"), ("4_1", "4_2"), ("7_10", "7_11"), ("7_10", "7_2"),
    ("7_10", "7_4"), ("7_10", "7_9"), ("7_11", "7_1"), ("7_11", "7_2"), ("7_11", "7_4"), ("7_11", "7_9"),
    ("7_1", "7_3"), ("7_2", "7_4"), ("7_2", "7_9"), ("7_4", "7_9"), ("8_1", "8_2"), ("9_3", "9_9"))}

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
        return derive_corpus(analyze_batch(articles, nlp, "run", datetime(2024, 5, 9)), DateWindow(date(2024, 5, 9)))

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


def _repost(text: str, rng: random.Random, edits: int = 3) -> str:
    """Another headline, a boilerplate line inserted, `edits` words replaced."""
    lines = ["Update: what we know so far", *text.split("\n")[1:]] if "\n" in text else [text]
    lines.insert(rng.randrange(1, len(lines) + 1), "Follow us for more updates on this story.")
    words = "\n".join(lines).split(" ")
    for _ in range(edits):
        words[rng.randrange(5, len(words))] = rng.choice(["reportedly", "officials", "several", "local"])
    return " ".join(words)


@pytest.mark.skipif(not ECB.is_file(), reason="../shared/ecb-dev is not beside the checkout")
def test_on_ecb_plus_reposts_are_found_and_only_copies_are_linked():
    """Raw ECB+ texts (first line a headline). Reposts made from articles of 60 words or more are found;
    every pair linked is one read and judged a copy of one wire or press text (docs/quality.md): a new
    pair fails the test until someone has looked at it. `bench/duplicates.py` measures the same on
    cleaned bodies."""
    docs = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [d["text"] for d in docs if len(d["text"].split()) >= 60]
    rng = random.Random(17)
    found = sum(bool(similar_pairs([text, _repost(text, rng)])) for text in texts)
    assert found / len(texts) >= 0.97
    linked = {(docs[i]["doc_id"], docs[j]["doc_id"]) for i, j, _ in similar_pairs([d["text"] for d in docs])}
    assert len(linked) >= 10 and linked <= ECB_COPIES

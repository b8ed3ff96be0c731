"""The gold scores on invented articles: what counts as found, right, named and merged."""

from datetime import date

import polars as pl

from bench.gold_scoring import GOLD, GOLD_SETS, load_gold, score_dates, score_entities, score_event_dates, text_path

BODY = "Smith left on Monday. The board met in 2019 and again later."
ARTICLES = pl.DataFrame({"article_id": ["a1"], "seed_name": ["one.txt"], "body": [BODY]})


def _date(text: str, context: str, value: str, precision: str) -> dict:
    return {"text": text, "context": context, "value": value, "precision": precision}


def _expressions(*rows: tuple[int, int, date | None, str | None]) -> pl.DataFrame:
    return pl.DataFrame([{"article_id": "a1", "start_char": s, "end_char": e, "text": BODY[s:e], "resolved_date": d,
                          "date_precision": p} for s, e, d, p in rows],
                        schema={"article_id": pl.String, "start_char": pl.Int64, "end_char": pl.Int64,
                                "text": pl.String, "resolved_date": pl.Date, "date_precision": pl.String})


def test_a_date_is_right_only_with_the_gold_value_and_precision_and_a_missing_one_is_wrong():
    gold = [{"seed": "one.txt", "dates": [_date("Monday", "left on Monday", "2026-11-30", "day"),
                                         _date("2019", "met in 2019", "2019-01-01", "year"),
                                         _date("later", "again later", "2026-12-01", "day")]},
            {"seed": "absent.txt", "dates": [_date("May", "in May", "2026-05-01", "month")]}]
    monday, year = BODY.index("Monday"), BODY.index("2019")
    scores = score_dates(gold, ARTICLES, _expressions((monday, monday + 6, date(2026, 11, 30), "day"),
                                                      (year - 3, year + 4, date(2019, 1, 1), "month")))
    assert (scores["expressions"], scores["detected"], scores["right"]) == (4, 2, 1)
    assert (scores["accuracy"], scores["recall"]) == (0.25, 0.5)
    assert [why for _, _, why in scores["errors"]] == ["got 'in 2019' -> 2019-01-01 month", "not detected",
                                                       "article not loaded"]


def _mentions(*rows: tuple[str, str, str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["article_id", "entity_id", "surface", "canonical_name", "entity_type"],
                        orient="row")


def test_entities_are_found_by_any_name_named_by_the_canonical_and_merged_across_articles():
    articles = pl.DataFrame({"article_id": ["a1", "a2"], "seed_name": ["one.txt", "two.txt"], "body": ["", ""]})
    smith = {"name": "Jane Smith", "type": "PERSON", "aliases": ["Smith"]}
    gold = [{"seed": "one.txt", "entities": [smith, {"name": "Acme", "type": "ORG", "aliases": []},
                                             {"name": "Dutch", "type": "NORP", "aliases": []}]},
            {"seed": "two.txt", "entities": [smith]}]
    mentions = _mentions(("a1", "e1", "Smith", "Jane Smith", "PERSON"), ("a1", "e2", "Acme's", "Acme Corp", "ORG"),
                         ("a1", "e3", "Paris", "Paris", "GPE"), ("a1", "e5", "Dutch", "Dutch", "NORP"),
                         ("a2", "e4", "Smith", "Smith", "PERSON"))
    scores = score_entities(gold, articles, mentions)
    assert scores["entity_recall"] == 1.0  # NORP is not scored; "Acme's" is "Acme"
    assert scores["entity_canonical"] == 0.333  # "Acme Corp" and "Smith" are not the gold names
    assert scores["entity_precision"] == 0.75  # Paris is wrong; NORP is not counted
    assert scores["entity_crossdoc_merge"] == 0.5  # Jane Smith is two entities, Acme one
    assert scores["entity_f1"] == 0.857


def test_every_gold_article_has_its_committed_text():
    seeds = {gold["seed"] for name in GOLD_SETS for gold in load_gold(GOLD / name)}
    assert len(seeds) >= 35  # the 35 gold articles of 7 December 2026
    assert [seed for seed in sorted(seeds) if not text_path(seed).is_file()] == []


def _event(event_type: str, when: str | None, evidence: str) -> dict:
    return {"type": event_type, "date": when, "evidence": evidence}


def test_an_event_date_is_right_at_the_gold_precision_and_a_bound_when_it_holds_and_is_the_article_date():
    gold = [{"seed": "one.txt", "article": {"published_date": "2026-12-02"}, "events": [
        _event("clash", "2026-11-30", "rebels clashed with troops"),       # stated, right
        _event("killing", "2026-11-30", "two guards were killed"),          # bound 2 Dec: holds, the article date
        _event("statement", None, "the governor said"),                     # bound, no gold date: holds
        _event("talks", "2026-11", "talks began"),                          # stated at day precision: wrong
        _event("explosion", "2026-12-01", "a blast shook the port"),        # bound 30 Nov: does not hold
        _event("airstrike", "2026-11-30", "jets struck a depot")]}]         # not found
    events = pl.DataFrame([
        ("clash", date(2026, 11, 30), "day", "stated", "On Monday rebels clashed with troops."),
        ("killing", date(2026, 12, 2), "day", "on_or_before", "Later two guards were killed."),
        ("statement", date(2026, 12, 2), "day", "on_or_before", "The governor said so."),
        ("talks", date(2026, 11, 3), "day", "stated", "Talks began on 3 November."),
        ("explosion", date(2026, 11, 30), "day", "on_or_before", "A blast shook the port.")],
        schema=["event_type", "event_date", "date_precision", "date_basis", "evidence"], orient="row"
    ).with_columns(pl.lit("a1").alias("article_id"))
    scores = score_event_dates(gold, ARTICLES, events)
    assert (scores["gold_events"], scores["found"], scores["dated"], scores["right"]) == (6, 5, 5, 3)
    # [right, dated, the very gold date]
    assert scores["per_basis"] == {"stated": [1, 2, 1], "on_or_before (day)": [2, 3, 0]}
    assert [e["type"] for _, e, _ in scores["errors"]] == ["talks", "explosion"]

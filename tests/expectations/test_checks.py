"""The rules that span columns or tables, as boolean check columns: True passes, False fails, null when the rule
does not apply. On small invented frames shaped to the contract."""

from datetime import date, datetime

import polars as pl

import contract
from contract.window import DateWindow
from expectations.checks import (ROW_CHECKS, check_columns, fk_check_name, repair_fields, span_check_name,
                                 with_checks)

RUN_DAY = date(2026, 1, 5)
WINDOW = DateWindow(RUN_DAY)
BODY = "Ferry crews in Port Alder voted on Friday to end their strike, the union said."


def _article(article_id: str, body: str = BODY, **fields) -> dict:
    return {"article_id": article_id, "seed_name": f"{article_id}.txt", "content_sha256": "0" * 64,
            "input_format": "text", "encoding": "utf-8", "body": body, "word_count": len(body.split()),
            "run_id": "r1", "ingested_at": datetime(2026, 1, 5, 9), **fields}


def _articles(*rows: dict) -> pl.DataFrame:
    return contract.rows_to_frame(list(rows), contract.ARTICLES)


def _check(table: contract.Table, frame: pl.DataFrame, frames: dict[str, pl.DataFrame], column: str) -> list:
    return with_checks(table, frame, frames, WINDOW)[column].to_list()


def test_a_week_date_is_a_monday():
    [check] = [c for c in contract.TEMPORAL_EXPRESSIONS.row_checks if c.name == "date_precision_consistent"]
    frame = pl.DataFrame({"resolved_date": [date(2024, 3, 4), date(2024, 3, 6), date(2024, 3, 1), None],
                          "date_precision": ["week", "week", "month", None]})
    ok = frame.select(ROW_CHECKS[check.name](check, frame, {}, WINDOW).alias("ok"))["ok"].to_list()
    assert ok == [True, False, True, True]


def test_a_reference_must_point_at_a_row_that_exists():
    articles = _articles(_article("a1"), _article("a2", duplicate_of="a1"), _article("a3", duplicate_of="gone"))
    assert _check(contract.ARTICLES, articles, {"articles": articles}, fk_check_name("duplicate_of")) == [
        None, True, False]  # no reference: the rule does not apply


def test_a_quote_must_reproduce_the_body_at_its_offsets():
    articles = _articles(_article("a1"))
    start = BODY.index("to end")
    quotes = contract.rows_to_frame([
        {"quote_id": "q1", "article_id": "a1", "quote_text": "to end", "start_char": start, "end_char": start + 6},
        {"quote_id": "q2", "article_id": "a1", "quote_text": "to end", "start_char": start + 1, "end_char": start + 7},
        {"quote_id": "q3", "article_id": "a1", "quote_text": "x", "start_char": 5, "end_char": 5},
        {"quote_id": "q4", "article_id": "a9", "quote_text": "to end", "start_char": start, "end_char": start + 6},
    ], contract.QUOTES)
    [rule] = contract.QUOTES.spans
    assert _check(contract.QUOTES, quotes, {"articles": articles}, span_check_name(rule)) == [True, False, False, False]


def test_only_an_empty_body_fails_a_short_body_left_from_mostly_clutter_is_kept():
    short = "Ferry strike ends."
    articles = _articles(_article("short", short), _article("clean", short), _article("empty", "  "))
    clutter = contract.rows_to_frame([{"article_id": "short", "line_no": 1, "text": "x" * 500,
                                       "reason": "navigation"}], contract.ARTICLE_CLUTTER)
    [check] = [c for c in contract.ARTICLES.row_checks if c.name == "body_not_empty"]
    assert _check(contract.ARTICLES, articles, {"articles": articles, "article_clutter": clutter},
                  check.column_name) == [True, True, False]


def test_an_implausible_publication_date_is_repaired_not_quarantined():
    articles = _articles(_article("a1", published_date=date(2026, 1, 7), published_date_source="page_metadata"),
                         _article("a2", published_date=date(2026, 1, 8), published_date_source="page_metadata"))
    repaired = repair_fields(contract.ARTICLES, articles, {"articles": articles}, WINDOW)
    assert repaired["published_date"].to_list() == [date(2026, 1, 7), None]  # two days ahead of the run at most
    assert repaired["published_date_source"].to_list() == ["page_metadata", None]
    [kept, [issue]] = repaired["field_issues"].to_list()
    assert kept == [] and issue.startswith("published_date: `published_date` is not before")
    assert issue.endswith("after the run date. (2026-01-08)")  # the check's column and its value


def test_every_check_column_of_a_table_is_computed():
    articles = _articles(_article("a1"))
    checked = with_checks(contract.ARTICLES, articles, {"articles": articles}, WINDOW)
    assert check_columns(contract.ARTICLES) == [c for c in checked.columns if c.startswith("_check_")]
    references = [c for c in contract.ARTICLES.columns if c.references]
    assert len(check_columns(contract.ARTICLES)) == len(references) + len(contract.ARTICLES.row_checks)

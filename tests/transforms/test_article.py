"""The records passed between the stages: ids that stay the same across runs, and a rejection that learns its file."""

from datetime import date

from transforms.article import (Metadata, Rejected, article_id_for, impossible_date_issue, last_update_issue,
                                note_field_issue, stable_id)


def test_an_article_id_depends_on_the_file_name_only():
    first = article_id_for("harbour/ferry-strike.txt")
    assert first == article_id_for("harbour/ferry-strike.txt")  # a changed file replaces the same article
    assert first != article_id_for("harbour/ferry-strike-2.txt")
    assert len(first) == 16 and set(first) <= set("0123456789abcdef")


def test_stable_id_parts_cannot_run_into_each_other():
    assert stable_id("ab", "c") != stable_id("a", "bc")
    assert stable_id("a", 1) == stable_id("a", "1")  # parts are compared as text
    assert stable_id("a", 1) != stable_id(1, "a")


def test_a_rejection_learns_its_file_without_changing():
    found = Rejected("not_utf8", "bytes 0x9c at 12 are not text")
    named = found.of("ferry.txt")
    assert (named.check, named.reason, named.seed_name) == ("not_utf8", "bytes 0x9c at 12 are not text", "ferry.txt")
    assert found.seed_name is None


def test_a_field_issue_is_noted_once():
    meta = Metadata()
    note_field_issue(meta, last_update_issue(date(2022, 11, 9)))
    note_field_issue(meta, last_update_issue(date(2022, 11, 9)))
    note_field_issue(meta, impossible_date_issue("30 February 2024"))
    assert meta.field_issues == [
        "published_date: the page gives it only as a last-update date (2022-11-09)",
        "published_date: not a calendar date (30 February 2024); kept as text in published_date_text"]
    assert Metadata().field_issues == []  # not shared between records

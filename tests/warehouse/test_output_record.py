"""The record every newsetl writer keeps in its output folder, and what it decides from it: which paths it
trusts, which files are stale, which temporaries are its own. Pure: no folder is touched."""

from __future__ import annotations

import json

import pytest

from warehouse.output_record import (RECORD_NAME, OutputRecord, contained_path, own_temporaries, parent_folders,
                                     parse_record, record_text, stale_files, temporary_name, temporary_of)


@pytest.mark.parametrize("entry", ["../victim.txt", "/etc/passwd", "a/../../victim.txt", "a/../b", "./a", "a//b",
                                   "a/", "", "..", "a\\..\\b", "a\x00b", None, 3, ["a"]])
def test_a_path_that_could_leave_the_folder_is_not_contained(entry):
    assert contained_path(entry) is None


@pytest.mark.parametrize("entry", ["index.html", "stories/s1.html", "articles/month=2025-11/part-0.parquet",
                                   "..hidden", "a..b/c"])
def test_a_plain_relative_path_is_contained(entry):
    assert contained_path(entry) == entry


def test_a_record_keeps_its_contained_files_and_notes_the_rest():
    text = json.dumps({"format": 1, "command": "report", "warehouse": "/w/news.duckdb", "complete": True,
                       "files": ["index.html", "../victim.txt", "/tmp/x", RECORD_NAME, "stories/a.html"]})
    record, notes = parse_record(text)
    assert record.command == "report" and record.files == {"index.html", "stories/a.html"}
    assert len(notes) == 3 and any("'../victim.txt'" in n for n in notes)


@pytest.mark.parametrize("text", ["not json", "[]", '{"format": 99, "command": "report", "files": []}',
                                  '{"format": 1, "files": []}', '{"format": 1, "command": "report", "files": "a"}'])
def test_what_is_not_a_record_removes_nothing(text):
    record, notes = parse_record(text)
    assert record is None and notes and "no earlier file is removed" in notes[0]


def test_only_recorded_files_not_written_again_are_stale():
    assert stale_files({"index.html", "stories/old.html", RECORD_NAME}, {"index.html", "stories/new.html"}) == [
        "stories/old.html"]


def test_only_our_temporaries_of_our_files_are_leftovers():
    ours = {"index.html", "stories/a.html"}
    names = [temporary_name("index.html", 41), temporary_name("stories/a.html", 7), temporary_name("stories/b.html", 7),
             "stories/.a.html.tmp", "notes.tmp", ".draft.1.tmp", temporary_name(RECORD_NAME, 9)]
    assert names[0] == ".index.html.41.tmp" and temporary_of("stories/.a.html.7.tmp") == ("stories/a.html", 7)
    assert own_temporaries(names, ours) == sorted([".index.html.41.tmp", "stories/.a.html.7.tmp",
                                                                   f".{RECORD_NAME}.9.tmp"])


def test_a_record_reads_back_as_written_and_has_no_time_stamp():
    record = OutputRecord("export", "/w/news.duckdb", frozenset({"b/part-0.parquet", "a/part-0.parquet"}), False)
    text = record_text(record)
    assert parse_record(text) == (record, [])
    assert text == record_text(OutputRecord("export", "/w/news.duckdb", frozenset({"a/part-0.parquet",
                                                                                  "b/part-0.parquet"}), False))
    assert json.loads(text)["files"] == ["a/part-0.parquet", "b/part-0.parquet"]


def test_the_folders_on_the_way_come_parents_first():
    assert parent_folders(["index.html", "stories/s1.html", "articles/month=2025-11/part-0.parquet"]) == [
        "", "articles", "stories", "articles/month=2025-11"]

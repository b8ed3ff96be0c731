"""The record a writer keeps in its output folder (pure), and the folder writer that never leaves it."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.helpers.output_guard import sibling, tree_digest, unchanged
from warehouse.output_folder import OutputFolder, OutputRefused
from warehouse.output_record import (RECORD_NAME, contained_path, own_temporaries, parse_record, stale_files,
                                     temporary_name, temporary_of)

# --- pure -----------------------------------------------------------------------------------------------


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


# --- the folder writer ----------------------------------------------------------------------------------


def _write(out, files: dict[str, bytes], keep: set[str] | None = None) -> list[str]:
    with OutputFolder(out, "report", None) as folder:
        folder.begin(files)
        for path, data in files.items():
            folder.write(path, data)
        return folder.finish(set(files) | (keep or set()))


def test_files_a_user_put_in_the_folder_are_never_removed(tmp_path):
    out, outside = tmp_path / "out", sibling(tmp_path)
    out.mkdir()
    (out / "about-me.html").write_text("mine")
    (out / "stories").mkdir()
    (out / "stories" / "my-notes.html").write_text("mine too")
    with unchanged(outside):
        _write(out, {"index.html": b"1", "stories/a.html": b"a", "stories/b.html": b"b"})
        assert _write(out, {"index.html": b"2", "stories/a.html": b"a"}) == ["stories/b.html"]
    assert (out / "about-me.html").read_text() == "mine" and (out / "stories" / "my-notes.html").exists()
    assert not (out / "stories" / "b.html").exists()
    record = json.loads((out / RECORD_NAME).read_text())
    assert record["files"] == ["index.html", "stories/a.html"] and record["complete"] and record["command"] == "report"


def test_a_symlinked_subfolder_is_refused_and_its_target_untouched(tmp_path):
    out, outside = tmp_path / "out", sibling(tmp_path)
    out.mkdir()
    os.symlink(outside / "deep", out / "stories")
    with unchanged(outside):
        with pytest.raises(OutputRefused, match=r"out/stories is a symbolic link \(to .*sibling/deep\)"):
            _write(out, {"index.html": b"1", "stories/index.html": b"overwrite?"})
    assert not (out / "index.html").exists() and not (out / RECORD_NAME).exists()  # refused before writing


def test_a_recorded_file_replaced_by_a_link_is_left_not_followed(tmp_path):
    out, outside = tmp_path / "out", sibling(tmp_path)
    _write(out, {"index.html": b"1", "stories/a.html": b"a", "articles/b.html": b"b"})
    (out / "stories" / "a.html").unlink()
    os.symlink(outside / "victim.txt", out / "stories" / "a.html")
    shutil.rmtree(out / "articles")
    os.symlink(outside / "deep", out / "articles")
    (outside / "deep" / "b.html").write_text("not the report's either")
    with unchanged(outside):
        with OutputFolder(out, "report", None) as folder:
            folder.begin({"index.html"})
            folder.write("index.html", b"2")
            assert folder.finish({"index.html"}) == []  # stories/a.html and articles/b.html would go: both left
            assert len(folder.notes) == 2 and all("not followed" in note for note in folder.notes)
    assert (out / "stories" / "a.html").is_symlink()
    assert json.loads((out / RECORD_NAME).read_text())["files"] == ["index.html"]


def test_a_link_where_the_writer_writes_is_refused(tmp_path):
    out, outside = tmp_path / "out", sibling(tmp_path)
    _write(out, {"index.html": b"1"})
    (out / "index.html").unlink()
    os.symlink(outside / "victim.txt", out / "index.html")
    with unchanged(outside):
        with pytest.raises(OutputRefused, match="index.html is a symbolic link"):
            _write(out, {"index.html": b"2"})


def test_a_forged_record_cannot_reach_outside(tmp_path):
    out, outside = tmp_path / "out", sibling(tmp_path)
    out.mkdir()
    (out / RECORD_NAME).write_text(json.dumps({"format": 1, "command": "report", "complete": True,
                                               "files": ["../sibling/victim.txt", str(outside / "deep" / "index.html"),
                                                         "index.html"]}))
    with unchanged(outside):
        with OutputFolder(out, "report", None) as folder:
            folder.begin({"stories/a.html"})
            folder.write("stories/a.html", b"a")
            assert folder.finish({"stories/a.html"}) == []
            assert len(folder.notes) == 2
    assert (out / "index.html").exists() is False


def test_another_commands_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    with OutputFolder(out, "export", None) as folder:
        folder.begin({"a.parquet"})
        folder.write("a.parquet", b"x")
        folder.finish({"a.parquet"})
    before = tree_digest(out)
    with pytest.raises(OutputRefused, match="holds the output of `newsetl export`"):
        OutputFolder(out, "report", None)
    assert tree_digest(out) == before


def test_a_killed_run_is_cleaned_up_by_the_next(tmp_path):
    out = tmp_path / "out"
    _write(out, {"index.html": b"1"})
    # a run that recorded what it would write, wrote one file and a temporary of another, and was killed
    folder = OutputFolder(out, "report", None)
    folder.begin({"index.html", "stories/a.html", "stories/b.html"})
    folder.write("stories/a.html", b"a")
    (out / "stories" / ".b.html.999999.tmp").write_bytes(b"half")
    folder.close()
    (out / "stories" / "notes.tmp").write_text("a user's")
    (out / "stories" / ".draft.html.1.tmp").write_text("a user's, our pattern but not our file")
    assert _write(out, {"index.html": b"2"}) == ["stories/a.html"]
    assert sorted(p.name for p in (out / "stories").iterdir()) == [".draft.html.1.tmp", "notes.tmp"]


def test_an_unchanged_output_is_not_rewritten(tmp_path):
    out = tmp_path / "out"
    _write(out, {"index.html": b"1", "stories/a.html": b"a"})
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    os.utime(out / RECORD_NAME, ns=(1, 1))
    times[out / RECORD_NAME] = 1
    _write(out, {"index.html": b"1", "stories/a.html": b"a"})
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == times


def test_a_file_where_the_folder_should_be_is_refused(tmp_path):
    (tmp_path / "out").write_text("a file")
    with pytest.raises(OutputRefused, match="is not a folder"):
        OutputFolder(tmp_path / "out", "report", None)
    (tmp_path / "out2" / "stories").mkdir(parents=True)
    (tmp_path / "out2" / "index.html").mkdir()
    with pytest.raises(OutputRefused, match="index.html is not a regular file"):
        _write(tmp_path / "out2", {"index.html": b"1"})

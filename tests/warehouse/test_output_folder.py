"""The folder writer that never leaves its output folder (its record, pure, is `tests/warehouse/test_output_record.py`'s)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.helpers.output_guard import sibling, tree_digest, unchanged
from warehouse.output_folder import OutputFolder, OutputRefused
from warehouse.output_record import RECORD_NAME


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

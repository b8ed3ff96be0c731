"""`newsetl report --out DIR` on a small inline warehouse: the site replaces only what an earlier report
recorded writing, never a file a user put in the folder, and never writes through a link inside it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from cli.main import main as cli_main
from tests.helpers.output_guard import sibling, story_warehouse, tree_digest, unchanged
from warehouse.output_folder import OutputRefused
from warehouse.output_record import RECORD_NAME
from reports.story_report import INDEX_PAGE, article_page_path, story_page_path
from reports.story_report_writer import write_story_report


def _report(db: Path, out: Path, story_id: str | None = None) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return write_story_report(con, out, story_id=story_id)


@pytest.fixture
def two_stories(tmp_path) -> Path:
    return story_warehouse(tmp_path / "news.duckdb", {"s-one": ["a1"], "s-two": ["a2", "a3"]})


def test_a_users_files_survive_a_report_and_a_re_report(two_stories, tmp_path):
    out, outside = tmp_path / "report", sibling(tmp_path)
    out.mkdir()
    (out / "about-me.html").write_text("<p>my page</p>")
    (out / "logo.png").write_bytes(b"\x89PNG my logo")
    (out / "stories").mkdir()
    (out / "stories" / "draft.html").write_text("<p>my draft</p>")
    with unchanged(outside):
        _report(two_stories, out)
        _report(story_warehouse(tmp_path / "fewer.duckdb", {"s-one": ["a1"]}), out)
    assert (out / "about-me.html").read_text() == "<p>my page</p>" and (out / "logo.png").exists()
    assert (out / "stories" / "draft.html").exists()
    # the pages of the story and articles the second warehouse lacks were the report's own: removed
    assert not (out / story_page_path("s-two")).exists() and not (out / article_page_path("a2")).exists()
    record = json.loads((out / RECORD_NAME).read_text())
    assert record["command"] == "report" and record["warehouse"].endswith("fewer.duckdb")
    assert set(record["files"]) == {INDEX_PAGE, story_page_path("s-one"), article_page_path("a1")}


def test_one_story_keeps_the_pages_of_the_others(two_stories, tmp_path):
    out = tmp_path / "report"
    _report(two_stories, out)
    _report(two_stories, out, story_id="s-one")
    assert (out / story_page_path("s-two")).exists()
    assert story_page_path("s-two") in json.loads((out / RECORD_NAME).read_text())["files"]


def test_a_symlinked_stories_folder_is_refused_and_its_target_untouched(two_stories, tmp_path):
    out, outside = tmp_path / "report", sibling(tmp_path)
    out.mkdir()
    os.symlink(outside / "deep", out / "stories")
    with unchanged(outside):
        with pytest.raises(OutputRefused, match="stories is a symbolic link"):
            _report(two_stories, out)
    assert sorted(p.name for p in out.iterdir()) == ["stories"]


def test_the_cli_refuses_a_link_in_one_line_and_writes_nothing(two_stories, tmp_path, capsys):
    out, outside = tmp_path / "report", sibling(tmp_path)
    _report(two_stories, out)
    (out / "articles").rename(tmp_path / "moved")
    os.symlink(outside / "deep", out / "articles")
    before = tree_digest(out)
    with unchanged(outside):
        assert cli_main(["report", "--db", str(two_stories), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsetl: ") and err.count("\n") == 1 and "articles is a symbolic link" in err
    assert tree_digest(out) == before


def test_a_report_into_an_export_folder_is_refused(two_stories, tmp_path, capsys):
    out = tmp_path / "parquet"
    assert cli_main(["export", "--db", str(two_stories), "--parquet", str(out)]) == 0
    before = tree_digest(out)
    assert cli_main(["report", "--db", str(two_stories), "--out", str(out)]) == 1
    assert "holds the output of `newsetl export`" in capsys.readouterr().err
    assert tree_digest(out) == before

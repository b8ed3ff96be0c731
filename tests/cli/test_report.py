"""`newsetl report`: what the command says when it writes the story report (where, how many pages, what an
earlier report left that is gone), and in one line when it cannot. (The pages are `tests/reports/`'s.)"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import contract
from cli.main import main
from warehouse.loader import LoadPlan, load


def _warehouse(path: Path, titles: dict[str, str]) -> Path:
    """A warehouse made by the project's loader holding these stories and nothing else."""
    stories = [{"story_id": sid, "title": title, "article_count": 1, "source_count": 1} for sid, title in titles.items()]
    load(path, LoadPlan(frames={"stories": contract.rows_to_frame(stories, contract.STORIES)}))
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return _warehouse(tmp_path_factory.mktemp("cli-report") / "news.duckdb",
                      {"s1": "A harbour closes for a day", "s2": "Ferry crews end their strike"})


def test_the_report_says_where_it_is_and_what_an_earlier_one_left(db, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", "--db", str(db), "--out", str(out)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    assert line.startswith(f"newsetl: story report {(out / 'index.html').as_uri()} ({len(pages)} pages, ")
    fewer = _warehouse(tmp_path / "fewer.duckdb", {"s1": "A harbour closes for a day"})
    assert main(["report", "--db", str(fewer), "--out", str(out)]) == 0
    [line, removed] = capsys.readouterr().out.splitlines()
    left = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    assert left < pages
    assert removed == f"  removed {len(pages - left)} file(s) an earlier report wrote that this one does not"


def test_an_unknown_story_writes_nothing_and_says_so(db, tmp_path, capsys):
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "r"), "--story", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsetl: ") and "no story 'nope'" in err and err.count("\n") == 1
    assert not (tmp_path / "r").exists()


def test_a_database_without_stories_is_not_a_warehouse(tmp_path, capsys):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert main(["report", "--db", str(other), "--out", str(tmp_path / "r")]) == 1
    assert capsys.readouterr().err == f"newsetl: {other} has no stories table: not a newsetl warehouse\n"
    assert not (tmp_path / "r").exists()

"""The story report of the seeds warehouse through `newsetl report`: the chart shows exactly the warehouse's
dated story events, the site's links resolve on disk, the PNG is written; and, when Debian's chromium is
installed, a browser renders the page with no console message and no request (the pages' CSP refuses any)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import run_cli
from tests.helpers.paths import SEEDS
from tests.helpers.report_pages import link_problems, parse
from reports.story_report import INDEX_PAGE, story_page_path, timeline_png_path

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def seeds_report(scratch_warehouse, tmp_path_factory):
    """(warehouse, report folder, seconds the command took): `newsetl report --png` on the seeds warehouse."""
    db = scratch_warehouse(SEEDS)
    out = tmp_path_factory.mktemp("story-report") / "report"
    clock = time.perf_counter()
    result = run_cli(["report", "--db", str(db), "--out", str(out), "--png"], out.parent)
    seconds = time.perf_counter() - clock
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"\nnewsetl report --png on the seeds: {seconds:.2f} s; {result.stdout.strip()}")
    return db, out, seconds


def _story_ids(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [row[0] for row in con.execute("SELECT story_id FROM stories ORDER BY story_id").fetchall()]


def test_each_timeline_shows_exactly_the_warehouses_dated_events(seeds_report):
    db, out, seconds = seeds_report
    with duckdb.connect(str(db), read_only=True) as con:
        expected = dict(con.execute("SELECT story_id, list(story_event_id ORDER BY story_event_id) FROM story_events "
                                    "WHERE event_date IS NOT NULL AND modality = 'happened' GROUP BY story_id").fetchall())
        disputed = {row[0] for row in con.execute("SELECT story_event_id FROM story_events WHERE disputed AND "
                                                  "event_date IS NOT NULL AND modality = 'happened'").fetchall()}
    assert expected, "the seeds have dated story events"
    for story_id in _story_ids(db):
        page = (out / story_page_path(story_id)).read_text(encoding="utf-8")
        marks = re.findall(r'<g class="event( disputed)?" data-event-id="([^"]+)">', page)
        assert sorted(m[1] for m in marks) == expected.get(story_id, [])
        assert {m[1] for m in marks if m[0]} == disputed & set(expected.get(story_id, []))
        assert (out / timeline_png_path(story_id)).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert seconds < 60  # generous; the measured time is printed (about 1-2 s on the seeds)


def test_the_seed_story_marks_the_19_october_ceasefire_disputed(seeds_report):
    db, out, _ = seeds_report
    with duckdb.connect(str(db), read_only=True) as con:
        (event_id,) = con.execute("SELECT story_event_id FROM story_events WHERE event_type = 'ceasefire' AND "
                                  "event_date = DATE '2025-10-19' AND disputed").fetchone()
    page = "".join(p.read_text(encoding="utf-8") for p in (out / "stories").glob("*.html"))
    assert f'<g class="event disputed" data-event-id="{event_id}">' in page


def test_every_link_of_the_written_site_resolves(seeds_report):
    _, out, _ = seeds_report
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    pages.update({p.relative_to(out).as_posix(): "" for p in out.rglob("*.png")})
    assert INDEX_PAGE in pages and link_problems(pages) == []
    assert not any(re.search(r'(src|href)="(https?:)?//', page) for page in pages.values())


def test_an_unknown_story_is_refused_in_one_line(seeds_report, tmp_path):
    db, _, _ = seeds_report
    result = run_cli(["report", "--db", str(db), "--out", str(tmp_path / "r"), "--story", "nope"], tmp_path)
    assert result.returncode == 1 and "no story 'nope'" in result.stderr and not (tmp_path / "r").exists()


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHROMIUM), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
                          capture_output=True, text=True, timeout=90)


def test_a_browser_renders_the_story_page_offline_without_console_messages(seeds_report, tmp_path):
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium not installed: apt-get install chromium")
    db, out, _ = seeds_report
    url = (out / story_page_path(_story_ids(db)[0])).as_uri()
    shot = tmp_path / "story.png"
    shown = _chromium([f"--screenshot={shot}", "--window-size=1200,900", url], tmp_path / "profile")
    assert shown.returncode == 0 and shot.read_bytes()[:4] == b"\x89PNG", shown.stderr[-2000:]
    dom = _chromium(["--dump-dom", url], tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('<g class="event') > 0 and "Who said what" in dom.stdout
    for run in (shown, dom):
        # A script error, or a request the CSP refused (any request at all), is logged as a console message.
        problems = [line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
        assert problems == []
    assert not [v for _, _, v in parse(dom.stdout).references if re.match(r"(https?:)?//", v)]

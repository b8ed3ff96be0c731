"""The validation report written beside a warehouse: read from its tables, one folder per warehouse, links
that work from file:// (checked on disk and, when Debian's chromium is installed, in a headless browser)."""

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

import pytest

import contract
from tests.helpers.output_guard import sibling, unchanged
from tests.helpers.report_pages import link_problems, parse, written_pages
from warehouse.loader import LoadPlan, load
from warehouse.output_folder import OutputRefused
from reports.validation_report_writer import read_report_rows, write_pages, write_validation_report
from reports.validation_report import INDEX_PAGE, run_page_path

CHROMIUM = Path("/usr/bin/chromium")
RUN_IDS = ("20250101T120000Z-r7583", "20250102T120000Z-r0a1f")


def _run_row(run_id: str, day: int, status: str) -> dict:
    counts = {name: 0 for name in ("files_new", "files_changed", "files_unchanged", "files_removed",
                                   "documents_processed", "files_quarantined", "articles", "entities", "mentions",
                                   "quotes", "events")}
    return {**counts, "run_id": run_id, "started_at": datetime(2025, 1, day, 12), "finished_at": datetime(2025, 1, day, 12, 1),
            "status": status, "seeds_dir": "seeds", "code_version": "c0de", "files_seen": 2, "files_loaded": 2}


def _load_run(db: Path, run_id: str, day: int, failed_reason: str | None = None) -> None:
    """One run's rows, as a run's load writes them: its `runs` row, results and quarantine."""
    now = datetime(2025, 1, day, 12, 1)
    result = {"result_id": f"{run_id}-r", "run_id": run_id, "table_name": "quotes",
              "expectation": "expect_column_values_to_be_between", "column_name": "confidence",
              "kwargs": '{"column": "confidence", "max_value": 1.0, "min_value": 0.0}', "success": failed_reason is None,
              "element_count": 9, "unexpected_count": 0 if failed_reason is None else 1, "validated_at": now}
    frames = {"runs": contract.rows_to_frame([_run_row(run_id, day, "completed")], contract.RUNS),
              "validation_results": contract.rows_to_frame([result], contract.VALIDATION_RESULTS)}
    if failed_reason:
        frames["quarantine"] = contract.rows_to_frame([{
            "quarantine_id": f"{run_id}-q", "run_id": run_id, "table_name": "quotes", "record_key": "quote-1",
            "seed_name": "001.txt", "check_name": "expect_column_values_to_be_between(confidence)",
            "reason": failed_reason, "quarantined_at": now}], contract.QUARANTINE)
    load(db, LoadPlan(frames=frames, rebuild_corpus=False))


@pytest.fixture()
def warehouse(tmp_path) -> Path:
    db = tmp_path / "news.duckdb"
    _load_run(db, RUN_IDS[0], 1)
    _load_run(db, RUN_IDS[1], 2, failed_reason="confidence failed <between 0 & 1>")
    return db


def test_the_report_is_written_beside_its_warehouse_from_its_rows(warehouse):
    index = write_validation_report(warehouse)
    assert index == (warehouse.parent / "news_validation" / INDEX_PAGE).resolve()
    pages = written_pages(index.parent)
    assert set(pages) == {INDEX_PAGE, *(run_page_path(r) for r in RUN_IDS)}
    assert all(f">{run_id}</a>" in pages[INDEX_PAGE] for run_id in RUN_IDS)
    failed = pages[run_page_path(RUN_IDS[1])]
    assert '<td class="failed">failed</td>' in failed and "confidence failed &lt;between 0 &amp; 1&gt;" in failed
    assert link_problems(pages) == []


def test_another_warehouse_gets_its_own_report(warehouse, tmp_path):
    other = tmp_path / "other.duckdb"
    _load_run(other, "20250105T000000Z-rabcd", 5)
    write_validation_report(warehouse)
    index = write_validation_report(other).read_text()
    assert "20250105T000000Z-rabcd" in index and RUN_IDS[0] not in index
    assert RUN_IDS[0] in (tmp_path / "news_validation" / INDEX_PAGE).read_text()


def test_a_new_run_is_added_and_older_runs_beyond_the_limit_are_counted(warehouse):
    write_validation_report(warehouse)
    _load_run(warehouse, "20250103T120000Z-rffff", 3)
    pages = written_pages(write_validation_report(warehouse).parent)
    assert run_page_path("20250103T120000Z-rffff") in pages and link_problems(pages) == []
    runs, results, quarantine, older = read_report_rows(warehouse, runs_shown=2)
    assert [r["run_id"] for r in runs] == ["20250103T120000Z-rffff", RUN_IDS[1]] and older == 1
    assert {r["run_id"] for r in results} == {r["run_id"] for r in runs}
    assert [q["record_key"] for q in quarantine] == ["quote-1"]


def test_pages_no_longer_listed_and_temporary_files_are_removed(tmp_path):
    folder = tmp_path / "news_validation"
    write_pages(folder, {INDEX_PAGE: "one", "runs/a.html": "a"})
    (folder / "runs" / ".b.html.1.tmp").write_text("left by a killed run")
    write_pages(folder, {INDEX_PAGE: "two", "runs/b.html": "b"})
    assert written_pages(folder) == {INDEX_PAGE: "two", "runs/b.html": "b"}


def test_files_a_user_put_in_the_report_folder_are_kept(tmp_path):
    folder, outside = tmp_path / "news_validation", sibling(tmp_path)
    (folder / "runs").mkdir(parents=True)
    (folder / "runs" / "my-notes.txt").write_text("mine")
    (folder / ".my-draft.tmp").write_text("mine, a dot-file")
    with unchanged(outside):
        write_pages(folder, {INDEX_PAGE: "one", "runs/a.html": "a"}, tmp_path / "news.duckdb")
        assert write_pages(folder, {INDEX_PAGE: "two", "runs/b.html": "b"}, tmp_path / "news.duckdb") == ["runs/a.html"]
    assert (folder / "runs" / "my-notes.txt").read_text() == "mine" and (folder / ".my-draft.tmp").exists()


def test_a_symlinked_runs_folder_is_refused_and_its_target_untouched(tmp_path):
    folder, outside = tmp_path / "news_validation", sibling(tmp_path)
    folder.mkdir()
    os.symlink(outside / "deep", folder / "runs")
    with unchanged(outside):
        with pytest.raises(OutputRefused, match="runs is a symbolic link"):
            write_pages(folder, {INDEX_PAGE: "one", "runs/index.html": "overwrite?"})


def test_a_run_whose_report_is_refused_says_so_in_one_notice(warehouse):
    from flows.incremental import publish_validation_report

    folder = warehouse.parent / "news_validation"
    folder.mkdir()
    os.symlink(warehouse.parent, folder / "runs")
    url, notice = publish_validation_report(warehouse)
    assert url is None and notice.startswith("validation report not written: ")
    assert "runs is a symbolic link" in notice and "\n" not in notice


def _dump_dom(url: str, profile: Path) -> str:
    """The DOM Debian's chromium builds from a page (no network, a throw-away profile)."""
    result = subprocess.run([str(CHROMIUM), "--headless", "--disable-gpu", "--no-sandbox", f"--user-data-dir={profile}",
                             "--no-first-run", "--dump-dom", url], capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.slow
def test_a_browser_shows_the_runs_and_follows_every_link(warehouse, tmp_path):
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium not installed: apt-get install chromium")
    index = write_validation_report(warehouse)
    dom = _dump_dom(index.as_uri(), tmp_path / "profile")
    for run_id in RUN_IDS:
        assert f'<td class="run"><a href="{run_page_path(run_id)}">{run_id}</a></td>' in dom
    links = [value for _, attribute, value in parse(dom).references if attribute == "href"]
    assert sorted(links) == sorted(run_page_path(r) for r in RUN_IDS)
    for link, run_id in zip(links, (RUN_IDS[1], RUN_IDS[0])):  # newest first
        page = _dump_dom(urljoin(index.as_uri(), link), tmp_path / "profile")
        assert f"<h1>Run {run_id}</h1>" in page and "expect_column_values_to_be_between" in page
        for target in (v for _, attribute, v in parse(page).references if attribute == "href" and "#" not in v):
            followed = _dump_dom(urljoin(urljoin(index.as_uri(), link), target), tmp_path / "profile")
            expected = "<h1>Validation report: news.duckdb</h1>" if target.endswith(INDEX_PAGE) else "<h1>Run "
            assert expected in followed, target

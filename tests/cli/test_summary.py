"""The end-of-run summary: one dict from the run's report, shown as text or JSON, that never claims this
run did what an earlier run did."""

from __future__ import annotations

import json
from pathlib import Path

from flows.incremental import RunReport
from cli.summary import format_summary, run_summary

DB = Path("warehouse/news.duckdb")
COUNTS = {"articles": 5, "entities": 40, "entity_mentions": 180, "quotes": 12, "events": 33, "article_clutter": 60}


def _noop_report() -> RunReport:
    """What `record_noop` reports for a re-run of five unchanged, loaded files."""
    return RunReport("20260101T000000Z-beef", "noop", files_seen=5, files_loaded=5, files_quarantined=0,
                     files_unchanged=5, counts=COUNTS, stage_seconds={"discover": 0.41, "load": 0.12},
                     peak_rss_mb=120)


def _full_report() -> RunReport:
    return RunReport("20260101T000000Z-cafe", "completed", files_seen=6, files_loaded=5, files_quarantined=1,
                     files_new=6, documents_processed=6, counts=COUNTS,
                     quarantined=[("bad.bin", "decode: not text")], rows_quarantined=1,
                     stage_seconds={"discover": 0.2, "startup_gx": 1.5, "startup_model": 0.9,
                                    "read_clean_extract": 4.25, "load": 0.75},
                     peak_rss_mb=640, data_docs="file:///tmp/docs/index.html",
                     validation_report="file:///tmp/news_validation/index.html", notices=["seeds folder changed: x"])


def test_a_noop_rerun_does_not_say_it_loaded_files():
    text = format_summary(run_summary(_noop_report(), DB))
    assert "loaded" not in text
    assert "noop (no file changed since the last run; nothing was processed)" in text
    assert "files      seen 5: in warehouse 5, quarantined 0" in text
    assert "unchanged 5 (skipped)" in text and "documents processed 0" in text


def test_a_full_run_summary_says_what_it_did_and_what_the_warehouse_holds():
    text = format_summary(run_summary(_full_report(), DB))
    lines = text.splitlines()
    assert lines[0] == "run 20260101T000000Z-cafe: completed"
    assert "  files      seen 6: in warehouse 5, quarantined 1" in lines
    assert "  this run   new 6, changed 0, unchanged 0 (skipped), removed 0; documents processed 6" in lines
    assert "  quarantined bad.bin: decode: not text" in lines
    assert "  stages     discover 0.20s, read_clean_extract 4.25s, load 0.75s" in lines
    assert "  start-up   gx 1.50s, model 0.90s" in lines
    assert "  memory     peak RSS 640 MB" in lines
    assert "  validation report file:///tmp/news_validation/index.html" in lines
    assert "  note       seeds folder changed: x" in lines


def test_only_the_first_quarantined_files_are_listed():
    report = _full_report()
    report.quarantined = [(f"f{i}.txt", "empty: no text") for i in range(20)]
    text = format_summary(run_summary(report, DB))
    assert "quarantined f14.txt" in text and "quarantined f15.txt" not in text
    assert "… and 5 more (SELECT * FROM quarantine WHERE run_id = '20260101T000000Z-cafe')" in text


def test_the_summary_dict_is_json_with_the_runs_table_names():
    summary = json.loads(json.dumps(run_summary(_full_report(), DB)))
    assert summary["run_id"] == "20260101T000000Z-cafe" and summary["status"] == "completed"
    assert (summary["files_seen"], summary["files_loaded"], summary["files_quarantined"]) == (6, 5, 1)
    assert (summary["files_new"], summary["files_changed"], summary["files_unchanged"], summary["files_removed"]) \
        == (6, 0, 0, 0)
    assert summary["documents_processed"] == 6
    assert summary["counts"]["articles"] == 5
    assert summary["quarantined"] == [{"seed_name": "bad.bin", "reason": "decode: not text"}]
    assert summary["stage_seconds"]["load"] == 0.75
    assert summary["peak_rss_mb"] == 640 and summary["data_docs"] == "file:///tmp/docs/index.html"


def test_what_the_scan_left_out_is_counted_and_an_unreadable_folder_named():
    report = _noop_report()
    report.skipped = {"dot_files": 2, "dot_folders": 1, "folder_links": 0, "newsetl_outputs": 1}
    report.unreadable_folders, report.files_unknown = [("sub", "PermissionError: Permission denied")], 3
    report.notices = ["could not list sub/ in the seeds folder (PermissionError: Permission denied): its 3 known file(s) "
                      "are kept as they were, not retracted"]
    summary = run_summary(report, DB)
    assert summary["entries_skipped"] == 4 and summary["skipped"]["newsetl_outputs"] == 1
    assert summary["unreadable_folders"] == [{"folder": "sub", "reason": "PermissionError: Permission denied"}]
    assert summary["files_unknown"] == 3
    lines = format_summary(summary).splitlines()
    assert "  skipped    4 by design, not read: dot-files 2, dot-folders 1, newsetl outputs 1" in lines
    assert any(line.startswith("  note       could not list sub/") for line in lines)
    assert json.loads(json.dumps(summary)) == summary


def test_nothing_skipped_adds_no_line():
    assert "skipped    " not in format_summary(run_summary(_full_report(), DB))

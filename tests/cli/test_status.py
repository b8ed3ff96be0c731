"""`newsetl status`: the last runs from the `runs` table, read-only, with a one-line reason when there is
nothing to read."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

import contract
from cli.main import main
from tests.helpers.paths import ROOT
from warehouse.loader import LoadPlan, load


def _run(run_id: str, status: str, started: str, seconds: float, seen: int, loaded: int, processed: int) -> dict:
    start = datetime.fromisoformat(started)
    return {"run_id": run_id, "started_at": start, "finished_at": start + timedelta(seconds=seconds),
            "status": status, "seeds_dir": "seeds", "code_version": "v1", "files_seen": seen, "files_new": 0,
            "files_changed": 0, "files_unchanged": 0, "files_removed": 0, "documents_processed": processed,
            "files_loaded": loaded, "files_quarantined": seen - loaded, "articles": loaded, "entities": 0,
            "mentions": 0, "quotes": 0, "events": 0, "stage_seconds": "{}", "peak_rss_mb": 100}


RUNS = [_run("20260101T090000Z-aaaa", "completed", "2026-01-01 09:00:00", 21.5, 6, 5, 6),
        _run("20260102T090000Z-bbbb", "noop", "2026-01-02 09:00:00", 1.0, 6, 5, 0),
        _run("20260103T090000Z-cccc", "completed", "2026-01-03 09:00:00", 4.5, 7, 6, 1)]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A warehouse made by the project's own loader (its DDL), holding three runs and nothing else."""
    path = tmp_path_factory.mktemp("status") / "news.duckdb"
    load(path, LoadPlan(frames={"runs": contract.rows_to_frame(RUNS, contract.RUNS)}))
    return path


def test_status_lists_the_last_runs_newest_first(db, capsys):
    assert main(["status", "--db", str(db), "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"last 2 run(s) of {db}, newest first"
    assert lines[1].split() == ["run_id", "status", "started", "(UTC)", "seconds", "files", "seen", "in", "warehouse",
                                "quarantined", "docs", "processed"]
    assert lines[3].split() == ["20260103T090000Z-cccc", "completed", "2026-01-03", "09:00:00", "4.5", "7", "6", "1",
                                "1"]
    assert lines[4].split() == ["20260102T090000Z-bbbb", "noop", "2026-01-02", "09:00:00", "1.0", "6", "5", "1", "0"]
    assert len(lines) == 5


def test_status_json_has_the_runs_columns(db, capsys):
    assert main(["status", "--db", str(db), "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [r["run_id"] for r in runs] == [r["run_id"] for r in reversed(RUNS)]
    first = runs[-1]
    assert first == {"run_id": "20260101T090000Z-aaaa", "status": "completed", "started_at": "2026-01-01T09:00:00",
                     "finished_at": "2026-01-01T09:00:21.500000", "duration_seconds": 21.5, "files_seen": 6,
                     "files_loaded": 5, "files_quarantined": 1, "documents_processed": 6}


def test_status_without_a_warehouse_says_so_in_one_line(tmp_path, capsys):
    assert main(["status", "--db", str(tmp_path / "absent.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err == f"newsetl: no warehouse at {tmp_path / 'absent.duckdb'} (`newsetl run` creates it)\n"


def test_status_of_a_database_without_runs_says_so_in_one_line(tmp_path, capsys):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert main(["status", "--db", str(other)]) == 1
    assert capsys.readouterr().err == f"newsetl: {other} has no runs table: not a newsetl warehouse\n"


def test_status_names_the_process_writing_the_warehouse(tmp_path):
    """DuckDB lets one process write or several read: while another process holds the file for writing,
    status says who, at once, instead of failing with DuckDB's message or waiting."""
    path = tmp_path / "news.duckdb"
    load(path, LoadPlan(frames={"runs": contract.rows_to_frame(RUNS[:1], contract.RUNS)}))
    writer = duckdb.connect(str(path))  # this test process is the writer; status runs in a child
    try:
        result = subprocess.run([sys.executable, "-m", "cli.main", "status", "--db", str(path)], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
    finally:
        writer.close()
    assert result.returncode == 1
    assert result.stderr.startswith(f"newsetl: {path} is being written by another process (PID ")
    assert result.stderr.count("\n") == 1

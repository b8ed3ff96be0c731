"""The last runs as the `runs` table recorded them: newest first, as a table or JSON, with seconds from start to
end, and a one-line reason when there are none to read."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

import contract
from cli.readonly import WarehouseUnreadable
from cli.recent_runs import recent_runs, show_status
from warehouse.loader import LoadPlan, load

COUNTS = ("files_new", "files_changed", "files_unchanged", "files_removed", "articles", "entities", "mentions",
          "quotes", "events")


def _run(run_id: str, day: int, status: str, seconds: float | None) -> dict:
    started = datetime(2026, 3, day, 8, 30, 15, 250000)
    return {"run_id": run_id, "started_at": started, "status": status, "seeds_dir": "in", "code_version": "v1",
            "finished_at": None if seconds is None else started + timedelta(seconds=seconds), "files_seen": 4,
            "files_loaded": 3, "files_quarantined": 1, "documents_processed": 4, **dict.fromkeys(COUNTS, 0)}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("recent-runs") / "news.duckdb"
    runs = [_run("run-a", 1, "completed", 12.34), _run("run-c", 3, "interrupted", None), _run("run-b", 2, "noop", 0.9)]
    load(path, LoadPlan(frames={"runs": contract.rows_to_frame(runs, contract.RUNS)}))
    return path


def _shown(db: Path, limit: int, as_json: bool) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = show_status(db, limit, as_json, out, err)
    return code, out.getvalue(), err.getvalue()


def test_runs_come_newest_first_with_their_seconds_and_a_limit(db):
    assert [(r["run_id"], r["duration_seconds"]) for r in recent_runs(db, 0)] == [
        ("run-c", None), ("run-b", 0.9), ("run-a", 12.3)]  # 0: all; an unfinished run has no seconds yet
    assert [r["run_id"] for r in recent_runs(db, 2)] == ["run-c", "run-b"]


def test_the_table_shows_whole_seconds_of_the_start_and_null_while_unknown(db):
    code, out, err = _shown(db, 1, as_json=False)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"last 1 run(s) of {db}, newest first"
    assert lines[3].split() == ["run-c", "interrupted", "2026-03-03", "08:30:15", "NULL", "4", "3", "1", "4"]


def test_json_keeps_the_times_exact(db):
    code, out, _ = _shown(db, 0, as_json=True)
    runs = json.loads(out)
    assert code == 0 and [r["run_id"] for r in runs] == ["run-c", "run-b", "run-a"]
    assert runs[2]["started_at"] == "2026-03-01T08:30:15.250000" and runs[0]["finished_at"] is None


def test_an_empty_runs_table_and_a_foreign_one_say_so(tmp_path):
    empty = tmp_path / "empty.duckdb"
    load(empty, LoadPlan(frames={}))
    assert _shown(empty, 10, as_json=False) == (0, f"no runs recorded in {empty}\n", "")
    assert _shown(empty, 10, as_json=True) == (0, "[]\n", "")
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE runs (id INTEGER)")
    with pytest.raises(WarehouseUnreadable, match=r"^cannot read the runs of .*foreign\.duckdb: Binder Error"):
        recent_runs(foreign, 10)
    code, out, err = _shown(foreign, 10, as_json=False)
    assert (code, out) == (1, "") and err.startswith("newsetl: cannot read the runs of") and err.count("\n") == 1

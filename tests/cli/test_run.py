"""`newsetl run`: what the command says of a run, in JSON for scripts or one line on stderr, and its exit code,
whatever the run did (completed, another run writing, refused, failed, interrupted). The run itself is
`flows.run`'s: here the planning step answers at once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

import flows.run
import flows.validation_worker as validation_worker
from cli import run as cli
from cli.main import main
from flows.incremental import RunReport
from flows.lock import WarehouseBusy
from flows.server import PrefectStartFailed
from flows.settings import Settings
from warehouse.loader import WarehouseNotWritable


def _settings(tmp_path: Path) -> Settings:
    (tmp_path / "seeds").mkdir(exist_ok=True)
    return Settings().with_overrides(seeds_dir=tmp_path / "seeds", db_path=tmp_path / "news.duckdb")


def _planning_raises(monkeypatch, error: BaseException) -> None:
    def plan(settings, run_id, started):
        raise error

    monkeypatch.setattr(flows.run, "settle_or_plan", plan)


def test_run_json_prints_one_object_built_from_the_report(tmp_path, monkeypatch, capsys):
    report = RunReport("r1", "noop", files_seen=3, files_loaded=2, files_quarantined=1, files_unchanged=3,
                       counts={"articles": 2}, stage_seconds={"discover": 0.5, "load": 0.25}, peak_rss_mb=99)
    monkeypatch.setattr(flows.run, "settle_or_plan", lambda settings, run_id, started: report)
    assert cli.run_once(_settings(tmp_path), as_json=True) == 0
    summary = json.loads(capsys.readouterr().out)  # the whole of stdout is one JSON object
    assert (summary["run_id"], summary["status"], summary["files_seen"], summary["files_loaded"]) == ("r1", "noop", 3, 2)
    assert summary["stage_seconds"] == {"discover": 0.5, "load": 0.25} and summary["counts"] == {"articles": 2}
    assert summary["db"] == str(tmp_path / "news.duckdb")


def test_run_json_says_why_a_run_did_not_start(tmp_path, monkeypatch, capsys):
    _planning_raises(monkeypatch, WarehouseBusy("another run is writing to the warehouse: run r0"))
    assert cli.run_once(_settings(tmp_path), as_json=True) == cli.EXIT_BUSY
    out = capsys.readouterr()
    outcome = json.loads(out.out)
    assert outcome["status"] == "busy" and "run r0" in outcome["message"] and outcome["run_id"]
    assert "another run is writing" in out.err


@pytest.mark.parametrize(("error", "says", "status"), [
    (WarehouseNotWritable("cannot create warehouse/: read-only file system"),
     "refused: cannot create warehouse/: read-only file system", "refused"),
    (PrefectStartFailed("PREFECT_HOME /x is not writable"), "failed: PREFECT_HOME /x is not writable", "failed"),
    (ZeroDivisionError("division by zero"), "failed: ZeroDivisionError: division by zero", "failed"),
])
def test_a_refusal_and_a_failure_are_one_line_naming_the_run(error, says, status, tmp_path, monkeypatch, capsys):
    _planning_raises(monkeypatch, error)
    assert cli.run_once(_settings(tmp_path), as_json=True) == 1
    out = capsys.readouterr()
    outcome = json.loads(out.out)
    assert out.err == f"newsetl: run {outcome['run_id']} {says}\n"  # no traceback
    assert outcome["status"] == status


def test_an_interrupted_run_is_recorded_and_exits_130(tmp_path, monkeypatch, capsys):
    _planning_raises(monkeypatch, KeyboardInterrupt())
    settings = _settings(tmp_path)
    assert cli.run_once(settings) == cli.EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert err.startswith("newsetl: run ") and err.endswith(
        " interrupted; nothing of it was written (the warehouse is as the last run left it; see `runs`)\n")
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]


@pytest.fixture()
def environment_restored():
    """`newsetl run` sets Prefect's defaults in the environment: keep them out of the other tests."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_run_json_reports_a_missing_seeds_folder(tmp_path, capsys, environment_restored):
    assert main(["run", "--seeds", str(tmp_path / "absent"), "--db", str(tmp_path / "news.duckdb"), "--json"]) == 1
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["status"] == "failed" and "seeds folder not found" in outcome["message"]


@pytest.mark.parametrize("code, stopped_now", [(0, False), (1, True), (cli.EXIT_INTERRUPTED, True)])
def test_a_run_that_did_not_complete_stops_the_validation_worker_at_once(tmp_path, monkeypatch, process_state_restored,
                                                                        code, stopped_now):
    """A completed run waits for its Data Docs; a refused or failed one does not wait for GX's import."""
    stops = []
    monkeypatch.setattr(cli, "run_once", lambda settings, debug, as_json: code)
    monkeypatch.setattr(validation_worker, "stop_worker", lambda now=False: stops.append(now))
    (tmp_path / "seeds").mkdir()
    assert main(["run", "--seeds", str(tmp_path / "seeds"), "--db", str(tmp_path / "news.duckdb")]) == code
    assert stops == [stopped_now]

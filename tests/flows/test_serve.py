"""`newsetl serve` as a process: runs fire on its schedule, the Prefect UI answers, every run has a name
and tags that lead back to it, and one line on the terminal (real CLI, its own Prefect server)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import urllib.request
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import cli_env, copy_expectations
from tests.helpers.paths import BIN, ROOT
from tests.helpers.processes import runs_of, wait_for
from tests.helpers.scratch import seeds_copy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flow_runs(api_url: str) -> list[dict]:
    request = urllib.request.Request(f"{api_url}/flow_runs/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _start_serve(tmp_path, env: dict, port: int) -> tuple[subprocess.Popen, Path, list[str]]:
    """`newsetl serve` every 10 s on a copy of the seeds; its output lines collected as they come."""
    copy_expectations(tmp_path / "expectations")
    seeds, db = seeds_copy(tmp_path / "seeds"), tmp_path / "news.duckdb"
    server = subprocess.Popen([str(BIN / "newsetl"), "serve", "--seeds", str(seeds), "--db", str(db), "--interval",
                               "10", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True).start()
    return server, db, lines


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=120)


def test_serve_fires_on_its_schedule_names_and_tags_runs_and_prints_one_line_each(tmp_path):
    env = cli_env(tmp_path)  # with the session's Prefect server, whose scheduler looks every 5 s
    env.update(PREFECT_RUNNER_POLL_FREQUENCY="2")
    server, db, lines = _start_serve(tmp_path, env, _free_port())
    try:
        wait_for(lambda: sum("newsetl: scheduled run " in line for line in lines) >= 2, 300)
        flow_runs = {run["name"]: run["tags"] for run in _flow_runs(env["PREFECT_API_URL"])}
    finally:
        _stop(server)
    out = "".join(lines)
    runs = runs_of(db)
    assert runs[0] == ("completed", 5) and runs[1] == ("noop", 0), out
    run_ids = [row[0] for row in duckdb.connect(str(db), read_only=True).execute(
        "SELECT run_id FROM runs ORDER BY started_at").fetchall()]
    assert f"newsetl: scheduled run {run_ids[0]}: completed;" in out and f"scheduled run {run_ids[1]}: noop;" in out
    for run_id in run_ids[:2]:
        assert f"scheduled-{run_id}" in flow_runs, flow_runs
    # the run that ingested is findable by its run id, tagged like a CLI run (a no-op settles before it)
    assert {"newsetl", "scheduled"} <= set(flow_runs[f"ingest-{run_ids[0]}"])

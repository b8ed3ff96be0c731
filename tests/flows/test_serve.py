"""`newsetl serve` as a process: runs fire on its schedule, the Prefect UI answers, every run has a name
and tags that lead back to it, and one line on the terminal (real CLI, its own Prefect server)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import urllib.request

import duckdb
import pytest

from tests.conftest import BIN, ROOT, cli_env, copy_expectations
from tests.flows.process_helpers import runs_of, wait_for
from tests.flows.test_incremental import _seeds_copy

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


def test_serve_fires_on_its_schedule_with_the_prefect_ui_and_one_line_per_run(tmp_path):
    copy_expectations(tmp_path / "expectations")
    seeds, db = _seeds_copy(tmp_path / "seeds"), tmp_path / "news.duckdb"
    port = _free_port()
    env = cli_env(tmp_path)
    env.pop("PREFECT_API_URL", None)  # serve starts its own server, as a user's would
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_RUNNER_POLL_FREQUENCY="2",
               PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5")
    server = subprocess.Popen([str(BIN / "newsetl"), "serve", "--seeds", str(seeds), "--db", str(db), "--interval",
                               "15", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        wait_for(lambda: len(runs_of(db)) >= 2, 300)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            page = response.read().decode()
        flow_runs = {run["name"]: run["tags"] for run in _flow_runs(api_url)}
    finally:
        os.killpg(server.pid, 15)
        out, _ = server.communicate(timeout=120)
    runs = runs_of(db)
    assert runs[0] == ("completed", 5) and runs[1] == ("noop", 0), out
    assert "<html" in page.lower() and "prefect" in page.lower()  # the UI, not a 404
    run_ids = [row[0] for row in duckdb.connect(str(db), read_only=True).execute(
        "SELECT run_id FROM runs ORDER BY started_at").fetchall()]
    for run_id in run_ids[:2]:
        assert f"scheduled-{run_id}" in flow_runs, flow_runs
        if f"ingest-{run_id}" in flow_runs:  # a no-op run settles before the inner flow starts
            assert {"newsetl", "scheduled"} <= set(flow_runs[f"ingest-{run_id}"])
    assert f"ingest-{run_ids[0]}" in flow_runs
    assert f"newsetl: scheduled run {run_ids[0]}: completed;" in out and f"scheduled run {run_ids[1]}: noop;" in out

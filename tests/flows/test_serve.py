"""`newsetl serve` as a process: runs fire on its schedule (real CLI, the session's Prefect server)."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import BIN, ROOT, cli_env, copy_expectations
from tests.flows.process_helpers import runs_of, wait_for
from tests.flows.test_incremental import _seeds_copy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_serve_fires_on_its_schedule(tmp_path):
    copy_expectations(tmp_path / "expectations")
    seeds, db = _seeds_copy(tmp_path / "seeds"), tmp_path / "news.duckdb"
    env = cli_env(tmp_path)  # with the session's Prefect server, whose scheduler looks every 5 s
    env.update(PREFECT_RUNNER_POLL_FREQUENCY="2")
    server = subprocess.Popen([str(BIN / "newsetl"), "serve", "--seeds", str(seeds), "--db", str(db), "--interval",
                               "15", "--port", "4317"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_for(lambda: len(runs_of(db)) >= 2, 300)
    finally:
        os.killpg(server.pid, 15)
        out, _ = server.communicate(timeout=120)
    runs = runs_of(db)
    assert runs[0] == ("completed", 5) and runs[1] == ("noop", 0), out

"""Ctrl-C or SIGTERM during extraction: the run stops within seconds, leaves no process behind (worker
processes, Prefect's local server), writes nothing but its `runs` row (`interrupted`), and says so in one
line (real CLI)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BIN, ROOT, SEEDS, cli_env, copy_expectations
from tests.flows.process_helpers import alive, descendants

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _workers(pid: int) -> list[int]:
    return [p for p in descendants(pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_extraction_stops_the_run_cleanly(tmp_path, signal_number):
    copy_expectations(tmp_path / "expectations")
    db = tmp_path / "news.duckdb"
    env = {**cli_env(tmp_path), "NEWSETL_WORKERS": "2", "NEWSETL_DOCS_PER_WORKER": "1"}
    run = subprocess.Popen([str(BIN / "newsetl"), "run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress"],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(_workers(run.pid)) < 3:  # the validation worker and two extraction workers are up
            assert run.poll() is None and time.monotonic() < deadline, "extraction never started"
            time.sleep(0.05)
        family = descendants(run.pid)
        sent = time.monotonic()
        run.send_signal(signal_number)
        out, err = run.communicate(timeout=30)
        assert time.monotonic() - sent < 5, "the run took too long to stop"
    finally:
        run.kill()
    assert run.returncode == 130, out + err
    assert err.strip().splitlines()[-1].startswith("newsetl: run ") and "interrupted" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    deadline = time.monotonic() + 10
    while [p for p in family if alive(p)]:
        assert time.monotonic() < deadline, f"left running: {[p for p in family if alive(p)]}"
        time.sleep(0.2)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0

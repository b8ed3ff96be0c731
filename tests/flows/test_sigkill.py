"""A run killed outright (SIGKILL: no handler, no `atexit`) leaves no process behind: not its extraction or
validation workers, not multiprocessing's resource tracker, not the temporary Prefect server Prefect starts
when no PREFECT_API_URL is set (real CLI, ephemeral Prefect)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.cli import cli_env, copy_expectations
from tests.helpers.paths import BIN, ROOT, SEEDS
from tests.helpers.processes import alive, descendants

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _command_lines(pid: int) -> dict[int, bytes]:
    found = {}
    for child in descendants(pid):
        try:
            found[child] = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
    return found


def test_a_run_killed_while_its_workers_start_leaves_no_process(tmp_path):
    """Killed the moment its two extraction workers exist: they are still importing spaCy then, the
    moment a worker that ties itself to the run too late outlives it (with the resource tracker, which
    lives as long as any worker holds its pipe)."""
    copy_expectations(tmp_path / "expectations")
    env = {**cli_env(tmp_path), "NEWSETL_WORKERS": "2", "NEWSETL_DOCS_PER_WORKER": "1"}
    env.pop("PREFECT_API_URL", None)  # Prefect's own temporary server, as `make run` uses it
    run = subprocess.Popen([str(BIN / "newsetl"), "run", "--seeds", str(SEEDS), "--db", str(tmp_path / "news.duckdb"),
                            "--no-progress"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    family: dict[int, bytes] = {}
    try:
        deadline = time.monotonic() + 180
        while sum(b"spawn_main" in line for line in family.values()) < 3:  # validation + two extraction workers
            assert run.poll() is None and time.monotonic() < deadline, "extraction never started"
            time.sleep(0.05)
            family |= _command_lines(run.pid)
        assert any(b"uvicorn" in line for line in family.values()), "no temporary Prefect server"
        assert any(b"resource_tracker" in line for line in family.values())
        run.send_signal(signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 10
        while left := [pid for pid in family if alive(pid)]:
            assert time.monotonic() < deadline, "left running: " + "; ".join(
                family[pid].replace(b"\0", b" ").decode()[:100] for pid in left)
            time.sleep(0.2)
    finally:
        run.kill()
        for pid in family:  # a failed test leaves nothing either
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

"""Helpers of the tests that drive `newsetl` as a process (start it paused inside its load, poll `runs`)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import duckdb

from tests.helpers.cli import cli_env
from tests.helpers.paths import BIN, ROOT


def start_paused_run(root: Path, seeds: Path, db: Path, pause: float) -> subprocess.Popen:
    env = cli_env(root)
    env["NEWSETL_FAULT_PAUSE_BEFORE_COMMIT"] = str(pause)
    process = subprocess.Popen([str(BIN / "newsetl"), "run", "--seeds", str(seeds), "--db", str(db), "--no-progress"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    for line in process.stderr:  # wait until the run is inside its load transaction
        if "pausing" in line and "before COMMIT" in line:
            return process
        assert time.monotonic() < deadline
    raise AssertionError("the run ended before reaching its load transaction: " + process.stdout.read())


def runs_of(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.IOException:  # the run is writing right now
        return []
    try:
        return con.execute("SELECT status, documents_processed FROM runs ORDER BY started_at").fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(1)


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, frontier = set(), [pid]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def processes_marked(marker: str) -> list[int]:
    """Live processes whose environment holds `marker` (give a run a unique env value, find every process
    it started, orphans included: they keep the environment they were started with)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                if marker.encode() in Path(f"/proc/{entry}/environ").read_bytes() and alive(int(entry)):
                    found.append(int(entry))
            except OSError:
                continue
    return found


def gone_within(pid: int, timeout: float) -> bool:
    """Whether no process `pid` exists (zombies count as existing) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False

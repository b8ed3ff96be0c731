"""The test files' order comes from the recorded durations (`tests/helpers/durations.py`, hooked in
`tests/conftest.py`): a real pytest session collects a few files and must order them by the JSON it is given,
and a recording session must merge its times into that JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.durations import DURATIONS_OPTION, RECORD_OPTION
from tests.helpers.paths import ROOT
from tests.helpers.prefect_server import SERVER_URL_VARIABLE

QUICK_A = "tests/warehouse/test_paths.py"
QUICK_B = "tests/test_docs_layout.py"
QUICK_UNRECORDED = "tests/contract/test_window.py"
SLOW_UNRECORDED = "tests/test_end_to_end.py"  # every test of it is marked slow


def _pytest(*args: str) -> subprocess.CompletedProcess:
    """A pytest session of its own; the server variable set, so it starts no Prefect server (nothing here runs
    end to end)."""
    env = {**os.environ, SERVER_URL_VARIABLE: "http://127.0.0.1:9/api"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def _files_in_order(collected: str) -> list[str]:
    files = [line.split("::", 1)[0] for line in collected.splitlines() if "::" in line]
    return list(dict.fromkeys(files))


def test_files_are_collected_slowest_first_by_the_durations_file(tmp_path):
    durations = tmp_path / "durations.json"
    durations.write_text(json.dumps({QUICK_A: 1.5, QUICK_B: 9.0, "tests/a_file_not_collected_here.py": 99.0}))
    result = _pytest("--co", DURATIONS_OPTION, str(durations), QUICK_UNRECORDED, QUICK_A, SLOW_UNRECORDED, QUICK_B)
    assert result.returncode == 0, result.stdout + result.stderr
    # collection order would be the arguments' order; unrecorded: a slow file first, a quick one last
    assert _files_in_order(result.stdout) == [SLOW_UNRECORDED, QUICK_B, QUICK_A, QUICK_UNRECORDED]


def test_a_recording_session_merges_its_files_times_into_the_durations_file(tmp_path):
    durations = tmp_path / "durations.json"
    durations.write_text(json.dumps({QUICK_B: 1000.0, "tests/a_file_since_removed.py": 5.0}))
    result = _pytest(RECORD_OPTION, DURATIONS_OPTION, str(durations), QUICK_A)
    assert result.returncode == 0, result.stdout + result.stderr
    recorded = json.loads(durations.read_text())
    assert list(recorded) == [QUICK_B, QUICK_A]  # slowest first; the removed file dropped
    assert recorded[QUICK_B] == 1000.0 and 0 <= recorded[QUICK_A] < 60

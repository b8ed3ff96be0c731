"""Test files scheduled slowest-first from their recorded durations (`tests/durations.json`, written by
`make test-durations`). Files are shared out to the test processes in collection order (`--dist loadfile
--no-loadscope-reorder`), so a minute-long file that starts last makes the whole suite wait for it."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT

DURATIONS_FILE = ROOT / "tests" / "durations.json"
DURATIONS_OPTION = "--durations-file"
RECORD_OPTION = "--record-durations"
RECORDER_NAME = "newsetl-durations-recorder"


def load_durations(path: Path) -> dict[str, float]:
    """Test file (path from the repository root) -> seconds; empty without a file (every file is then unknown)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def file_of(nodeid: str) -> str:
    """The test file part of a node id ("tests/x/test_y.py::test_z[a]" -> "tests/x/test_y.py")."""
    return nodeid.split("::", 1)[0]


def schedule_key(file: str, slow: bool, durations: Mapping[str, float]) -> tuple[int, float]:
    """Where a file starts: recorded files slowest first; a file with no record yet starts before them when
    it holds a slow test (its length is unknown, and a late start is what costs), after them otherwise."""
    if file in durations:
        return 1, -durations[file]
    return (0, 0.0) if slow else (2, 0.0)


def scheduled(items: list[pytest.Item], durations: Mapping[str, float]) -> list[pytest.Item]:
    """The items reordered file by file by `schedule_key`; a file's tests keep their order, and so do files
    that tie."""
    slow_files = {file_of(item.nodeid) for item in items if item.get_closest_marker("slow") is not None}
    return sorted(items, key=lambda item: schedule_key(file_of(item.nodeid), file_of(item.nodeid) in slow_files,
                                                       durations))


def merged(old: Mapping[str, float], new: Mapping[str, float], root: Path) -> dict[str, float]:
    """The recorded durations after a run: files that ran take their new time, files that did not keep
    theirs, files gone from the tree are dropped; slowest first, to the tenth of a second."""
    both = {file: seconds for file, seconds in {**old, **new}.items() if (root / file).is_file()}
    return {file: round(seconds, 1) for file, seconds in sorted(both.items(), key=lambda kv: (-kv[1], kv[0]))}


def summed_by_file(reports: Iterable[tuple[str, float]]) -> dict[str, float]:
    """(node id, seconds) of every setup, call and teardown -> seconds per test file."""
    totals: dict[str, float] = defaultdict(float)
    for nodeid, seconds in reports:
        totals[file_of(nodeid)] += seconds
    return dict(totals)


class DurationRecorder:
    """A plugin of the controlling pytest process (xdist hands it every worker's reports): sums each test
    file's setup, call and teardown seconds and merges them into the durations file at the session's end."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path, self.root = path, root
        self.reports: list[tuple[str, float]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.reports.append((report.nodeid, report.duration))

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):  # interrupted: times are partial
            return
        durations = merged(load_durations(self.path), summed_by_file(self.reports), self.root)
        self.path.write_text(json.dumps(durations, indent=1) + "\n", encoding="utf-8")

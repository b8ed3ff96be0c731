"""Fixtures and hooks only (the tests' library is `tests/helpers/`): the spaCy model loaded once, one Prefect
server for the session, from-scratch warehouses shared by the test processes, one real end-to-end run of the
CLI on the seeds, and the files' order from their recorded durations."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.helpers import durations
from tests.helpers.cli import run_cli
from tests.helpers.paths import SEEDS
from tests.helpers.prefect_server import (SERVER_URL_VARIABLE, start_prefect_server, stop_prefect_server,
                                          wait_until_healthy)
from tests.helpers.scratch import build_scratch_warehouse, shared_dir
from tests.helpers.snapshots import table_snapshot


def pytest_addoption(parser):
    parser.addoption(durations.DURATIONS_OPTION, type=Path, default=durations.DURATIONS_FILE,
                     help="the recorded seconds per test file that order the files, slowest first")
    parser.addoption(durations.RECORD_OPTION, action="store_true",
                     help="record this session's seconds per test file into the durations file")


@pytest.fixture(scope="session")
def nlp():
    from flows.stages import load_nlp  # spaCy and the flow's stages: only for the tests that parse
    from flows.settings import Settings

    return load_nlp(Settings().spacy_model)


def pytest_configure(config):
    """In the controlling pytest process: one Prefect server for the whole session, started before the
    test processes (they inherit its URL). End-to-end CLI runs report to it instead of each starting
    Prefect's ephemeral server (about 15 s a run). Not for the edit loop (`-m "not slow"`). The durations
    recorder lives here too: it sees every test process's reports."""
    if hasattr(config, "workerinput"):
        return
    if config.getoption(durations.RECORD_OPTION):
        recorder = durations.DurationRecorder(config.getoption(durations.DURATIONS_OPTION), config.rootpath)
        config.pluginmanager.register(recorder, durations.RECORDER_NAME)
    if os.environ.get(SERVER_URL_VARIABLE) or "not slow" in (config.option.markexpr or ""):
        return
    process, home, api_url = start_prefect_server()
    config._newsetl_prefect = (process, home)
    os.environ[SERVER_URL_VARIABLE] = api_url


def pytest_unconfigure(config):
    if (started := getattr(config, "_newsetl_prefect", None)) is not None:
        stop_prefect_server(*started)
        os.environ.pop(SERVER_URL_VARIABLE, None)


@pytest.fixture(scope="session")
def prefect_server():
    """The session's Prefect server, once it answers; CLI runs report to it. A session that started none
    (an end-to-end test picked with `-m "not slow"`) starts its own here."""
    own = None if SERVER_URL_VARIABLE in os.environ else start_prefect_server()
    api_url = own[2] if own else os.environ[SERVER_URL_VARIABLE]
    try:
        wait_until_healthy(api_url)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        if own:
            stop_prefect_server(*own[:2])


def pytest_collection_modifyitems(config, items):
    """End-to-end tests get the session's Prefect server; files start slowest first, by their recorded
    durations (`tests/helpers/durations.py`)."""
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.fixturenames.insert(0, "prefect_server")
    recorded = durations.load_durations(config.getoption(durations.DURATIONS_OPTION))
    items[:] = durations.scheduled(items, recorded)


@pytest.fixture(scope="session")
def scratch_warehouse(tmp_path_factory, prefect_server) -> Callable[[Path], Path]:
    """`scratch_warehouse(seeds)`: the warehouse one full `newsetl run` of that folder's content makes from
    nothing, in one process (`NEWSETL_WORKERS=1`). Built once per content for the whole session (test
    processes share it under a file lock); read it, or copy it to take it further."""
    shared = shared_dir(tmp_path_factory.getbasetemp())
    return lambda seeds: build_scratch_warehouse(shared, seeds)


@pytest.fixture(scope="session")
def e2e_run(tmp_path_factory):
    """`newsetl run` on the seeds into a temporary warehouse, run twice (the second run must change nothing,
    and reports as JSON). The first run starts Prefect's ephemeral server, as `make run` does; two
    extraction worker processes, whatever the machine's cores."""
    root = tmp_path_factory.mktemp("e2e")
    db = root / "news.duckdb"
    first = run_cli(["run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress"], root,
                    env={"NEWSETL_WORKERS": "2", "NEWSETL_DOCS_PER_WORKER": "1"},
                    ephemeral=True)
    assert first.returncode == 0, first.stdout + first.stderr
    snapshot = table_snapshot(db)
    second = run_cli(["run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress", "--json"], root)
    return {"db": db, "first": first, "second": second, "snapshot_after_first": snapshot}


@pytest.fixture()
def warehouse(e2e_run):
    con = duckdb.connect(str(e2e_run["db"]), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def process_state_restored():
    """The environment and the SIGTERM handler as they were before the test (commands that prepare their
    process, `prepare_environment` and `interrupt_on_sigterm`, change the whole process)."""
    saved_environment, saved_handler = dict(os.environ), signal.getsignal(signal.SIGTERM)
    yield
    os.environ.clear()
    os.environ.update(saved_environment)
    signal.signal(signal.SIGTERM, saved_handler)

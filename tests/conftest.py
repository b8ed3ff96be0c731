"""Shared fixtures: the spaCy model (loaded once), and one real end-to-end run of the CLI on the seeds."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def nlp():
    from flows.stages import load_nlp
    from flows.settings import Settings

    return load_nlp(Settings().spacy_model)


def parse_body(nlp, text: str, link_aliases: bool = False):
    """An invented body parsed, its mentions found and clustered: (doc, mentions, entities). With
    `link_aliases`, aliases the text declares ("X, or Y") join too."""
    from transforms.extract.mentions import cluster_mentions, doc_mentions

    doc = nlp(text)
    mentions, entities = cluster_mentions(doc_mentions(doc, "body"), {"body": text} if link_aliases else None)
    return doc, mentions, entities


def cli_env(tmp_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    env["NEWSETL_EXPECTATIONS"] = str(tmp_root / "expectations")
    return env


def copy_expectations(target: Path) -> Path:
    """A private copy of the GX project, so test runs never touch the committed one."""
    shutil.copytree(ROOT / "expectations" / "gx", target / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    return target


def run_cli(args: list[str], tmp_root: Path, timeout: int = 600, env: dict[str, str] | None = None,
            ephemeral: bool = False) -> subprocess.CompletedProcess:
    """`newsetl ARGS` in a subprocess. It reports to the session's Prefect server when one is up, or
    (`ephemeral`) starts Prefect's local ephemeral server as `make run` does."""
    if not (tmp_root / "expectations").exists():
        copy_expectations(tmp_root / "expectations")
    full_env = {**cli_env(tmp_root), **(env or {})}
    if ephemeral:
        full_env.pop("PREFECT_API_URL", None)
    return subprocess.run([str(BIN / "newsetl"), *args], cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=timeout)


_SERVER_URL_VARIABLE = "NEWSETL_TEST_PREFECT_API_URL"


def _start_prefect_server() -> tuple[subprocess.Popen, str, str]:
    """(process, home, API URL) of a Prefect server starting in the background on a free loopback port,
    with a database in a home of its own and a scheduler that looks every 5 s (the serve test waits for
    scheduled runs). Not waited for: `prefect_server` waits when a test needs it."""
    import socket
    import tempfile

    from flows.workers import tied_to_this_process

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tempfile.mkdtemp(prefix="newsetl-test-prefect-")
    env = {**os.environ, "PREFECT_HOME": home, "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5"}
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               preexec_fn=tied_to_this_process())
    return process, home, f"http://127.0.0.1:{port}/api"


def _stop_prefect_server(process: subprocess.Popen, home: str) -> None:
    """Stop the server's whole process group (SIGTERM, then SIGKILL) and remove its home."""
    for signal_number, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, signal_number)
            process.wait(timeout=wait)
            break
        except ProcessLookupError:
            break
        except subprocess.TimeoutExpired:
            continue
    shutil.rmtree(home, ignore_errors=True)


def pytest_configure(config):
    """In the controlling pytest process: one Prefect server for the whole session, started before the
    test processes (they inherit its URL). End-to-end CLI runs report to it instead of each starting
    Prefect's ephemeral server (about 15 s a run). Not for the edit loop (`-m "not slow"`)."""
    if hasattr(config, "workerinput") or os.environ.get(_SERVER_URL_VARIABLE) \
            or "not slow" in (config.option.markexpr or ""):
        return
    process, home, api_url = _start_prefect_server()
    config._newsetl_prefect = (process, home)
    os.environ[_SERVER_URL_VARIABLE] = api_url


def pytest_unconfigure(config):
    if (started := getattr(config, "_newsetl_prefect", None)) is not None:
        _stop_prefect_server(*started)
        os.environ.pop(_SERVER_URL_VARIABLE, None)


@pytest.fixture(scope="session")
def prefect_server():
    """The session's Prefect server, once it answers; CLI runs report to it. A session that started none
    (an end-to-end test picked with `-m "not slow"`) starts its own here."""
    from flows.server import STARTUP_TIMEOUT_SECONDS, _healthy

    own = None if _SERVER_URL_VARIABLE in os.environ else _start_prefect_server()
    api_url = own[2] if own else os.environ[_SERVER_URL_VARIABLE]
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    try:
        while not _healthy(api_url):
            assert time.monotonic() < deadline, f"the test session's Prefect server did not answer on {api_url}"
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        if own:
            _stop_prefect_server(*own[:2])


# Test files that take a minute or more, slowest first: started first, so no long file starts last when
# files are shared out in collection order (`--dist loadfile --no-loadscope-reorder`).
SLOWEST_FILES = ("test_schema_drift.py", "test_incremental.py", "test_hostile_corpus.py", "test_serve.py",
                 "test_sigkill.py", "test_dask_runner.py", "test_end_to_end.py", "test_kill_during_load.py", "test_watch_process.py",
                 "test_interrupt.py")


def _schedule_rank(item) -> tuple[int, int]:
    name = item.path.name
    return (SLOWEST_FILES.index(name) if name in SLOWEST_FILES else len(SLOWEST_FILES),
            0 if item.get_closest_marker("slow") is not None else 1)


def pytest_collection_modifyitems(items):
    """End-to-end tests get the session's Prefect server; the slowest files come first, then the rest of
    the slow group, then the quick tests."""
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.fixturenames.insert(0, "prefect_server")
    items.sort(key=_schedule_rank)


def _shared_dir(tmp_path_factory) -> Path:
    """A folder every test process of this session sees (xdist workers' temp folders share a parent)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
    shared.mkdir(exist_ok=True)
    return shared


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def scratch_warehouse(tmp_path_factory) -> Callable[[Path], Path]:
    """`scratch_warehouse(seeds)`: the warehouse one full `newsetl run` of that folder's content makes from
    nothing, in one process (`NEWSETL_WORKERS=1`). Built once per content for the whole session (test
    processes share it under a file lock); read it, or copy it to take it further."""
    shared = _shared_dir(tmp_path_factory)

    def build(seeds: Path) -> Path:
        key = _folder_digest(seeds)
        db = shared / f"scratch-{key}" / "news.duckdb"
        with _exclusive(shared / f"scratch-{key}.lock"):
            if not db.exists():
                building = shared / f"scratch-{key}.building"
                shutil.rmtree(building, ignore_errors=True)
                shutil.copytree(seeds, building / "seeds")
                result = run_cli(["run", "--seeds", str(building / "seeds"), "--db", str(building / "news.duckdb"),
                                  "--no-progress"], building, env={"NEWSETL_WORKERS": "1"})
                assert result.returncode == 0, result.stdout + result.stderr
                building.rename(db.parent)
        return db

    return build


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


def table_snapshot(db: Path) -> dict[str, list]:
    """Every row of every content table (staging included), minus run bookkeeping columns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE table_name NOT IN "
                             "('runs', 'quarantine', '_warehouse_meta', 'validation_results')").fetchall()
        for schema, table in tables:
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? AND column_name "
                "NOT IN ('run_id', 'ingested_at', 'first_seen_run', 'processed_run', 'seen_run')",
                [schema, table]).fetchall()]
            out[f"{schema}.{table}"] = con.execute(
                f"SELECT {', '.join(cols)} FROM {schema}.{table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()

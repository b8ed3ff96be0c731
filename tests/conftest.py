"""Shared fixtures: the spaCy model (loaded once), and one real end-to-end run of the CLI on the seeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
    from transforms.mentions import cluster_mentions, doc_mentions

    doc = nlp(text)
    mentions, entities = cluster_mentions(doc_mentions(doc, "body"), {"body": text} if link_aliases else None)
    return doc, mentions, entities


def cli_env(tmp_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    env.setdefault("NEWSETL_DATA_DOCS", "0")  # seconds of GX page rendering a run; the main e2e run builds them
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


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One Prefect server for the session's end-to-end tests (per test process): their CLI runs report to
    it instead of each starting Prefect's ephemeral server (about 15 s a run). It keeps its database in a
    home of its own, so parallel test processes never share one SQLite file; its scheduler looks every 5 s
    (the serve test waits for scheduled runs). Stopped, with its process group, when the session ends."""
    import socket

    from flows.server import local_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server_env = {"PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-server-home")),
                  "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5"}
    saved = {name: os.environ.get(name) for name in server_env}
    os.environ.update(server_env)  # for the server process only: restored once it is up
    try:
        with local_server(port) as api_url:
            _restore(saved)
            yield api_url
    finally:
        _restore(saved)


def _restore(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.fixturenames.insert(0, "prefect_server")


@pytest.fixture(scope="session")
def e2e_run(tmp_path_factory):
    """`newsetl run` on the seeds into a temporary warehouse, run twice (the second run must change nothing).
    The first run starts Prefect's ephemeral server, as `make run` does; two extraction worker processes,
    whatever the machine's cores."""
    root = tmp_path_factory.mktemp("e2e")
    db = root / "news.duckdb"
    first = run_cli(["run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress"], root,
                    env={"NEWSETL_WORKERS": "2", "NEWSETL_DOCS_PER_WORKER": "1", "NEWSETL_DATA_DOCS": "1"},
                    ephemeral=True)
    assert first.returncode == 0, first.stdout + first.stderr
    snapshot = table_snapshot(db)
    second = run_cli(["run", "--seeds", str(SEEDS), "--db", str(db), "--no-progress"], root)
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

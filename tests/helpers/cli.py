"""`newsetl` driven as a process, as a user runs it (`run_cli`), or in the test process (`run_cli_here`), with a
private copy of the GX project so test runs never touch the committed one."""

from __future__ import annotations

import atexit
import io
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from multiprocessing import resource_tracker
from pathlib import Path
from unittest import mock

from prefect.settings import PREFECT_API_URL, temporary_settings

import flows.validation_worker as validation_worker
from cli.main import main
from tests.helpers.paths import BIN, ROOT


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


@contextmanager
def process_state_kept(environment: dict[str, str]) -> Iterator[None]:
    """Run with exactly `environment`; afterwards the environment and the signal handlers are as they were
    (a command prepares its process: `prepare_environment`, `interrupt_on_sigterm`)."""
    saved_environment = dict(os.environ)
    saved_handlers = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    os.environ.clear()
    os.environ.update(environment)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_environment)
        for number, handler in saved_handlers.items():
            signal.signal(number, handler)


_stop_worker = validation_worker.stop_worker
atexit.register(_stop_worker)  # the kept worker, when the test process ends


def _keep_validation_worker(now: bool = False) -> None:
    """`stop_worker` for runs in the test process: the worker stays for the next run, as it does between the
    runs of `newsetl watch` (one GX import per test process, not one per run); an interrupted run's
    `stop_worker(now=True)` still stops it."""
    if now:
        _stop_worker(now=True)


def kept_worker_pids() -> set[int]:
    """What runs in this process leave alive on purpose: the validation worker kept between runs (see
    `_keep_validation_worker`) and multiprocessing's resource tracker, which lives as long as the process
    that started it (a CLI process takes both along when it ends)."""
    pool = getattr(validation_worker._worker, "_pool", None)
    kept = {process.pid for process in (getattr(pool, "_processes", None) or {}).values()}
    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    return kept | ({tracker} if tracker else set())


def run_cli_here(args: list[str], tmp_root: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`newsetl ARGS` in this process: the `main` a user's process runs, with the environment `run_cli` would
    give it, its stdout and stderr captured, the process state restored after. A second of CPU instead of
    ten: Python, Prefect, spaCy, its model and GX load once per test process. For tests of what a run does
    to the warehouse; a test of the terminal (logs, signals, processes left) runs the CLI as a process."""
    assert os.environ.get("PREFECT_API_URL"), "a run in the test process reports to the session's Prefect server " \
        "(the `prefect_server` fixture): a temporary server started here would outlive the run"
    if not (tmp_root / "expectations").exists():
        copy_expectations(tmp_root / "expectations")
    stdout, stderr = io.StringIO(), io.StringIO()
    environment = {**cli_env(tmp_root), **(env or {})}
    # Prefect read its settings when this process imported it, maybe before the session's server was known: a
    # process of its own would read them from `environment`, so the run gets them here (without, Prefect starts
    # a temporary server of its own in this process, which lives on after the run).
    with process_state_kept(environment), redirect_stdout(stdout), redirect_stderr(stderr), \
            temporary_settings(updates={PREFECT_API_URL: environment["PREFECT_API_URL"]}), \
            mock.patch.object(validation_worker, "stop_worker", _keep_validation_worker):
        code = main(args)
    return subprocess.CompletedProcess(["newsetl", *args], code, stdout.getvalue(), stderr.getvalue())

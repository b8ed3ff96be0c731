"""Prefect servers the CLI starts, tied to it: a server on loopback for `newsetl serve` (schedules never
fire on Prefect's temporary server, so serving needs a real one), started as a child process and stopped
with it unless PREFECT_API_URL already points at a server; and, for a run without PREFECT_API_URL,
Prefect's own temporary server, started so that it dies with the run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from flows.workers import tied_to_this_process

STARTUP_TIMEOUT_SECONDS = 180


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class _TiedSubprocess:
    """The `subprocess` module as Prefect's server module sees it: the same, but its `Popen` children get
    SIGTERM when the thread that started them dies (see `flows.workers`)."""

    class Popen(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("preexec_fn", tied_to_this_process(signal.SIGTERM))
            super().__init__(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(subprocess, name)


def start_temporary_server() -> None:
    """Without PREFECT_API_URL, Prefect reports a run to a temporary server: a uvicorn process it starts
    on its first API call (`SubprocessASGIServer`) and stops in an `atexit` handler, which a run killed
    outright (SIGKILL) never runs; the server then outlived the run. Started here instead, from the main
    thread, with a parent-death signal (SIGTERM: uvicorn then shuts down cleanly): Prefect's own start,
    at the same moment of the run, so it costs nothing more; Prefect then reuses this server (one per
    process). Only from the main thread: the signal comes when the *thread* that started the server ends."""
    import threading

    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value() or threading.current_thread() is not threading.main_thread():
        return
    from prefect.server.api import server

    server.subprocess = _TiedSubprocess()
    server.SubprocessASGIServer().start()


@contextlib.contextmanager
def local_server(port: int) -> Iterator[str]:
    """Yield the API URL of a Prefect server: the configured one, or one started here on 127.0.0.1."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    api_url = f"http://127.0.0.1:{port}/api"
    prefect = Path(sys.executable).parent / "prefect"
    # Its own session (a terminal's Ctrl-C reaches `serve`, which stops it below), and SIGTERM from the
    # kernel if `serve` dies without stopping it (SIGTERM: the server then stops its own children).
    process = subprocess.Popen([str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               preexec_fn=tied_to_this_process(signal.SIGTERM))
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not _healthy(api_url):
            if process.poll() is not None:
                raise RuntimeError(f"the Prefect server exited with code {process.returncode} (port {port} in use?)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Prefect server did not answer on {api_url} within {STARTUP_TIMEOUT_SECONDS}s")
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

"""A Prefect server on loopback for `newsetl serve`: schedules never fire on Prefect's temporary
in-process server, so serving needs a real one. Started as a child process (and stopped with it)
unless PREFECT_API_URL already points at a server.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from flows.workers import die_with_parent

STARTUP_TIMEOUT_SECONDS = 180


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


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
                               preexec_fn=functools.partial(die_with_parent, signal.SIGTERM))
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

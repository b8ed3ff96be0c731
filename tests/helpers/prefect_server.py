"""One Prefect server for a whole test session: end-to-end CLI runs report to it instead of each starting
Prefect's ephemeral server (about 15 s a run)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from flows.server import STARTUP_TIMEOUT_SECONDS, _healthy
from flows.workers import tied_to_this_process
from tests.helpers.paths import BIN

# Set by the controlling pytest process once its server starts; the test processes inherit it.
SERVER_URL_VARIABLE = "NEWSETL_TEST_PREFECT_API_URL"


def start_prefect_server() -> tuple[subprocess.Popen, str, str]:
    """(process, home, API URL) of a Prefect server starting in the background on a free loopback port,
    with a database in a home of its own and a scheduler that looks every 5 s (the serve test waits for
    scheduled runs). Not waited for: `wait_until_healthy` waits when a test needs it."""
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


def stop_prefect_server(process: subprocess.Popen, home: str) -> None:
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


def wait_until_healthy(api_url: str) -> None:
    """Return once the server at `api_url` answers; fail the test after Prefect's start-up allowance."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not _healthy(api_url):
        assert time.monotonic() < deadline, f"the test session's Prefect server did not answer on {api_url}"
        time.sleep(0.5)

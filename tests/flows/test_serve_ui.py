"""`newsetl serve` with no Prefect server configured starts its own, with the Prefect UI on, and a Ctrl-C in its
terminal stops both within seconds (real CLI)."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.cli import cli_env
from tests.helpers.processes import alive, descendants, wait_for
from tests.flows.test_serve import _free_port, _start_serve, _stop

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_serve_starts_its_own_prefect_server_with_the_ui(tmp_path):
    port = _free_port()
    env = cli_env(tmp_path)
    env.pop("PREFECT_API_URL", None)  # no server configured: serve starts one, as a user's would
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"))
    server, _, lines = _start_serve(tmp_path, env, port)
    try:
        wait_for(lambda: any("Prefect UI" in line for line in lines), 300)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            page = response.read().decode()
        family = descendants(server.pid)
        assert any(b"server" in Path(f"/proc/{p}/cmdline").read_bytes() for p in family)  # its own server
        sent = time.monotonic()
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in its terminal: its job's whole process group
        server.wait(timeout=60)
        assert time.monotonic() - sent < 10, f"serve took {time.monotonic() - sent:.1f}s to stop"
        wait_for(lambda: not [p for p in family if alive(p)], 15)
    finally:
        _stop(server)
    assert f"Prefect UI http://127.0.0.1:{port}/" in "".join(lines)
    assert "<html" in page.lower() and "prefect" in page.lower()  # the UI, not a 404

"""Prefect's servers as the CLI starts them: a home folder that cannot be written, or a temporary server that
cannot start, is one line within seconds (not minutes of retries and thousands of lines)."""

from __future__ import annotations

import socket
import sys
import time

import pytest

from flows.server import PrefectStartFailed, check_prefect_home, start_tied
from tests.helpers.cli import run_cli
from tests.helpers.paths import SEEDS


def test_a_home_folder_that_cannot_be_written_is_named(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with pytest.raises(PrefectStartFailed, match=r"home folder .*a file/prefect cannot be written \(Not a directory\)"):
        check_prefect_home(blocker / "prefect")
    assert check_prefect_home(tmp_path / "home") == tmp_path / "home"
    assert not list((tmp_path / "home").iterdir())  # the probe leaves nothing behind


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_temporary_server_that_dies_at_start_is_one_line_at_once():
    from prefect.server.api import server

    temporary = server.SubprocessASGIServer(port=_free_port())
    failing = [sys.executable, "-c", "import sys\nfor i in range(3000): print('noise', i, file=sys.stderr)\n"
               "print('sqlite3.OperationalError: unable to open database file', file=sys.stderr); sys.exit(1)"]
    temporary._run_uvicorn_command = lambda: server.subprocess.Popen(failing)
    clock = time.monotonic()
    with pytest.raises(PrefectStartFailed) as failed:
        start_tied(temporary, server, timeout=120)
    assert time.monotonic() - clock < 10
    message = str(failed.value)
    assert "exited with code 1: sqlite3.OperationalError: unable to open database file" in message
    assert "\n" not in message and not temporary.running


def test_a_run_with_an_unwritable_prefect_home_says_so_in_one_line_within_seconds(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    clock = time.monotonic()
    result = run_cli(["run", "--seeds", str(SEEDS), "--db", str(tmp_path / "news.duckdb"), "--no-progress"], tmp_path,
                     env={"PREFECT_HOME": str(blocker / "prefect")}, ephemeral=True, timeout=120)
    assert time.monotonic() - clock < 15
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"Prefect's home folder {blocker / 'prefect'} cannot be written" in result.stderr

"""Prefect servers the CLI starts, tied to it: a server on loopback for `newsetl serve` (schedules never
fire on Prefect's temporary server, so serving needs a real one), started as a child process and stopped
with it unless PREFECT_API_URL already points at a server; and, for a run without PREFECT_API_URL,
Prefect's own temporary server, started so that it dies with the run.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from flows.workers import tied_to_this_process

STARTUP_TIMEOUT_SECONDS = 180
# uvicorn's exit code when its port is taken (Prefect then starts it again on another port).
PORT_TAKEN_EXIT_CODE = 3


def _healthy(api_url: str, timeout: float = 2) -> bool:
    import urllib.request  # deferred: it imports http, ssl and email (20 ms) that `newsetl --help` does without

    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


class PrefectStartFailed(RuntimeError):
    """Prefect cannot start here (its home folder, its temporary server); the message says why in one line."""


def check_prefect_home(home: Path) -> Path:
    """Pre-flight, before Prefect is imported: its home folder (`Settings.prefect_home`) can be written.
    Prefect itself warns at import, then its temporary server retries its database for minutes, printing
    thousands of lines, before it gives up; here it is one line within a second."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=home):
            pass
    except OSError as exc:
        raise PrefectStartFailed(f"Prefect's home folder {home} cannot be written ({exc.strerror or exc}); "
                                 "set PREFECT_HOME to a folder you can write") from None
    return home


class _TiedSubprocess:
    """The `subprocess` module as Prefect's server module sees it: the same, but its `Popen` children get
    SIGTERM when the thread that started them dies (see `flows.workers`), run in a session of their own (a
    terminal's Ctrl-C reaches the whole foreground process group: the server must not take it, the run
    stops it), and write their output to `log` instead of the terminal."""

    def __init__(self, log=None) -> None:
        self.log = log

    def __getattr__(self, name: str):
        return getattr(subprocess, name)

    @property
    def Popen(self):  # noqa: N802 - stands in for `subprocess.Popen`
        log = self.log

        class Popen(subprocess.Popen):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("preexec_fn", tied_to_this_process(signal.SIGTERM))
                kwargs.setdefault("start_new_session", True)
                if log is not None:
                    kwargs.setdefault("stdout", subprocess.DEVNULL)
                    kwargs.setdefault("stderr", log)
                super().__init__(*args, **kwargs)
        return Popen


def _last_line(log) -> str:
    """The last non-empty line a failed server wrote (its error), for a one-line message."""
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def start_temporary_server(home: Path, timeout_seconds: float | None = None) -> None:
    """Without PREFECT_API_URL, Prefect reports a run to a temporary server: a uvicorn process it starts
    on its first API call (`SubprocessASGIServer`) and stops in an `atexit` handler. Started here instead,
    from the main thread, so that it
    - dies with the run even when the run is killed outright (SIGKILL: no `atexit`): a parent-death signal
      (SIGTERM: uvicorn then shuts down cleanly);
    - does not take a terminal's Ctrl-C: its own session; the run stops it on the way out;
    - fails in one line within seconds when it cannot start (Prefect waits out its whole start-up timeout,
      then raises with the server's output; meanwhile that output, thousands of lines, fills the terminal):
      its output goes to an unnamed temporary file, read only to say why it failed.
    Prefect then reuses this server (one per process). Only from the main thread: the parent-death signal
    comes when the *thread* that started the server ends. `home`: Prefect's home folder, named if it fails."""
    # Deferred: Prefect takes seconds to import and reads its settings then (`flows.startup` comes first);
    # its server module alone takes 2-4 s more, paid only when no server is configured.
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    if PREFECT_API_URL.value() or threading.current_thread() is not threading.main_thread():
        return
    from prefect.server.api import server
    temporary = server.SubprocessASGIServer()
    if not temporary.running:
        start_tied(temporary, server, timeout_seconds or PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value(),
                   home)


def start_tied(temporary, server_module, timeout: float, home: Path | None = None) -> None:
    """Start Prefect's `SubprocessASGIServer` instance `temporary` as `start_temporary_server` says, through
    `server_module` (the module whose `subprocess` its Popen comes from), and wait until it answers."""
    log = tempfile.TemporaryFile()
    server_module.subprocess = _TiedSubprocess(log)
    temporary.port = temporary.port or temporary.find_available_port()
    temporary.running = True
    temporary.server_process = temporary._run_uvicorn_command()
    atexit.register(temporary.stop)
    deadline = time.monotonic() + timeout
    while not _healthy(temporary.api_url, timeout=0.5):
        code = temporary.server_process.poll()
        if code == PORT_TAKEN_EXIT_CODE:  # another process took the port in between: another one
            temporary.port = temporary.find_available_port()
            temporary.server_process = temporary._run_uvicorn_command()
            continue
        if code is not None or time.monotonic() > deadline:
            temporary.stop()
            why = f"exited with code {code}" if code is not None else f"did not answer within {timeout:g}s"
            raise PrefectStartFailed(f"Prefect's temporary server {why}: {_last_line(log)}"
                                     + (f" (its home folder: {home})" if home else ""))
        time.sleep(0.1)


def loopback_api_url(port: int) -> str:
    """The API of the Prefect server `local_server(port)` starts."""
    return f"http://127.0.0.1:{port}/api"


@contextlib.contextmanager
def local_server(port: int) -> Iterator[str]:
    """Start a Prefect server on 127.0.0.1:`port` and yield its API URL once it answers; stop it on exit.
    Prefect's client is pointed at it at the command's start (`flows.startup.prepare_environment`)."""
    api_url = loopback_api_url(port)
    prefect = Path(sys.executable).parent / "prefect"
    # Its own session (a terminal's Ctrl-C reaches `serve`, which stops it below), and SIGTERM from the
    # kernel if `serve` dies without stopping it (SIGTERM: the server then stops its own children).
    process = subprocess.Popen([str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               preexec_fn=tied_to_this_process(signal.SIGTERM))
    try:
        _wait_until_healthy(process, api_url, port)
        yield api_url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def _wait_until_healthy(process: subprocess.Popen, api_url: str, port: int) -> None:
    """Until the server `process` answers at `api_url`; `PrefectStartFailed` if it exits or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not _healthy(api_url):
        if process.poll() is not None:
            raise PrefectStartFailed(f"the Prefect server exited with code {process.returncode} (port {port} in "
                                     "use? --port picks another)")
        if time.monotonic() > deadline:
            raise PrefectStartFailed(f"the Prefect server did not answer on {api_url} within "
                                     f"{STARTUP_TIMEOUT_SECONDS}s")
        time.sleep(0.5)

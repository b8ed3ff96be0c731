"""What a command that runs the flow (`run`, `watch`, `serve`) sets up in its own process before anything
else: the environment the libraries it runs read, and SIGTERM taken as Ctrl-C.

`prepare_environment` is the one place this program writes `os.environ` (reading it is `flows.settings`'s).
Each write configures a library, most of which read their settings once, when first imported, so it comes
first; every process the command starts (workers, servers, scheduled flow runs) inherits it:
- Prefect: quiet, local defaults (the caller's own settings win). No usage data is sent: not by the server
  Prefect starts (analytics), nor by the client, which would otherwise print a telemetry notice in a
  terminal on the first run of a new PREFECT_HOME (DO_NOT_TRACK is its opt-out), nor as OpenTelemetry spans
  of each run (orchestration telemetry). Its log level is the command's `--log-level`. `serve` turns the UI
  on (its server serves it) and, when it starts a server of its own, points Prefect's client at it.
- Math libraries (OpenMP, OpenBLAS, MKL) start one thread per core in every process; a run's parallelism
  is its processes (one extraction worker per core), so every process gets one thread.
- Hugging Face tokenizers (under spaCy) would warn about parallelism in forked processes.
"""

from __future__ import annotations

import logging
import os
import signal

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_UI_ENABLED": "false",
}
ONE_THREAD_EACH = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def prepare_environment(log_level: str, *, serve_ui: bool = False, api_url: str | None = None) -> None:
    """Configure the libraries a run uses (see the module docstring); before Prefect is imported. `serve_ui`:
    Prefect's server serves its UI; `api_url`: the Prefect server this command starts and reports to."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", log_level)
    if serve_ui:
        os.environ["PREFECT_UI_ENABLED"] = "true"
    if api_url:
        os.environ["PREFECT_API_URL"] = api_url
    os.environ.update(dict.fromkeys(ONE_THREAD_EACH, "1"))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def interrupt_on_sigterm() -> None:
    """SIGTERM stops a command the way Ctrl-C does (KeyboardInterrupt): workers stopped, a run recorded as
    `interrupted`, Prefect's servers shut down by their owners' exit handlers. Without this, SIGTERM ends
    the process at once and its children outlive it."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)

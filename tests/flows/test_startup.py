"""What a command that runs the flow sets up first: the libraries' settings in the environment (the caller's
own Prefect settings win), and SIGTERM taken as Ctrl-C."""

from __future__ import annotations

import os
import signal
import time

import pytest

from flows.startup import ONE_THREAD_EACH, PREFECT_DEFAULTS, interrupt_on_sigterm, prepare_environment


def test_prefect_is_quiet_and_local_unless_the_caller_said_otherwise(monkeypatch, process_state_restored):
    for name in (*PREFECT_DEFAULTS, "PREFECT_LOGGING_LEVEL", "PREFECT_API_URL", *ONE_THREAD_EACH):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")  # the caller's own
    prepare_environment("INFO")
    assert os.environ["DO_NOT_TRACK"] == "1" and os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "300"
    assert os.environ["PREFECT_LOGGING_LEVEL"] == "INFO" and os.environ["PREFECT_UI_ENABLED"] == "false"
    assert "PREFECT_API_URL" not in os.environ
    assert all(os.environ[name] == "1" for name in ONE_THREAD_EACH)  # a run's parallelism is its processes


def test_serve_turns_the_ui_on_and_points_prefect_at_its_own_server(monkeypatch, process_state_restored):
    monkeypatch.setenv("PREFECT_UI_ENABLED", "false")
    prepare_environment("WARNING", serve_ui=True, api_url="http://127.0.0.1:4999/api")
    assert os.environ["PREFECT_UI_ENABLED"] == "true"
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:4999/api"


def test_sigterm_stops_the_command_as_ctrl_c_does(process_state_restored):
    interrupt_on_sigterm()
    with pytest.raises(KeyboardInterrupt, match=f"signal {int(signal.SIGTERM)}"):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises here, in the main thread, at once

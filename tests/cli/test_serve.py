"""`newsetl serve`: a schedule is required (exit 2 without one), cron and interval exclude each other, and a
Prefect home that cannot be written is one line before any server starts."""

from __future__ import annotations

import os

import pytest

from cli.main import build_parser, main


def test_serve_without_a_schedule_is_a_usage_error(tmp_path, capsys):
    assert main(["serve", "--seeds", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "newsetl: serve needs --cron EXPR or --interval SECONDS\n"


def test_cron_and_interval_exclude_each_other_and_the_port_has_a_default(capsys):
    with pytest.raises(SystemExit) as usage:
        build_parser().parse_args(["serve", "--cron", "0 * * * *", "--interval", "60"])
    assert usage.value.code == 2
    assert "argument --interval: not allowed with argument --cron" in capsys.readouterr().err
    args = build_parser().parse_args(["serve", "--interval", "90"])
    assert (args.cron, args.interval, args.port) == (None, 90.0, 4200)


def test_a_prefect_home_that_cannot_be_written_is_one_line_before_a_server_starts(tmp_path, monkeypatch, capsys,
                                                                                  process_state_restored):
    home = tmp_path / "prefect-home"
    home.write_text("a file where Prefect's home folder should be")
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["serve", "--seeds", str(tmp_path), "--interval", "60", "--port", "4999"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"newsetl: Prefect's home folder {home} cannot be written (") and err.count("\n") == 1
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:4999/api"  # where its own server would have been

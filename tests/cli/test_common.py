"""What the commands share: option types that refuse in one line, the options over the environment's settings,
the one-line refusal, a reader that stops early, and `--version` without the package installed."""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

import pytest

from cli import common
from cli.common import Number, os_reason, path, refuse, settings_from, until_the_reader_stops
from cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_a_number_is_taken_in_range_and_refused_with_what_is_expected():
    assert Number(int, 1)("3") == 3 and isinstance(Number(float, 0)("3"), float)
    refusals = {"two": (Number(int, 1), "'two' is not a whole number"),
                "0": (Number(int, 1), "0 is out of range: expected a whole number, 1 or more"),
                "1e999": (Number(float, 0), "1e999 is out of range: expected a number, 0 or more"),
                "-0": (Number(float, 0, above=True), "-0 is out of range: expected a number, more than 0"),
                "70000": (Number(int, 1, 65535), "70000 is out of range: expected a whole number, from 1 to 65535")}
    for text, (kind, message) in refusals.items():
        with pytest.raises(argparse.ArgumentTypeError) as refused:
            kind(text)
        assert str(refused.value) == message


def test_an_empty_path_is_refused_rather_than_meaning_the_current_folder():
    assert path("seeds") == Path("seeds")
    with pytest.raises(argparse.ArgumentTypeError, match="an empty path"):
        path("")


def test_options_win_over_the_environment_and_absent_options_leave_it(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSETL_BATCH_SIZE", "7")
    monkeypatch.setenv("NEWSETL_LOCK_WAIT_SECONDS", "9")
    monkeypatch.delenv("NEWSETL_TASK_RUNNER", raising=False)
    given = build_parser().parse_args(["run", "--seeds", str(tmp_path / "in"), "--db", str(tmp_path / "w.duckdb"),
                                       "--batch-size", "5", "--no-progress", "--dask-address", "tcp://10.0.0.2:8786"])
    settings = settings_from(given)
    assert (settings.seeds_dir, settings.db_path) == (tmp_path / "in", tmp_path / "w.duckdb")
    assert (settings.batch_size, settings.lock_wait_seconds, settings.progress) == (5, 9.0, False)
    assert (settings.task_runner, settings.dask_address) == ("dask", "tcp://10.0.0.2:8786")  # an address implies Dask
    plain = settings_from(build_parser().parse_args(["watch", "--seeds", str(tmp_path / "in")]))
    assert (plain.batch_size, plain.task_runner, plain.rebuild) == (7, "local", False)
    assert plain.progress is False  # a bar is `run`'s alone: a command without --no-progress shows none


def test_a_refusal_is_one_line_on_stderr_and_exit_1(capsys):
    assert refuse("seeds folder not found: nowhere") == 1
    assert capsys.readouterr() == ("", "newsetl: seeds folder not found: nowhere\n")
    assert os_reason(NotADirectoryError(20, "Not a directory", "report/stories")) == "Not a directory: report/stories"
    assert os_reason(OSError("disk on fire")) == "disk on fire"


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path, monkeypatch):
    """`newsetl sql ... | head`: the command's next write fails with BrokenPipeError; it returns 1 and its
    stdout goes to /dev/null, so that Python's last flush has nowhere to fail."""
    with open(tmp_path / "stdout.txt", "w") as stdout:
        monkeypatch.setattr(sys, "stdout", stdout)

        @until_the_reader_stops
        def stopped(args: argparse.Namespace) -> int:
            raise BrokenPipeError

        @until_the_reader_stops
        def finished(args: argparse.Namespace) -> int:
            print("all rows")
            return 0

        assert finished(argparse.Namespace()) == 0
        assert (tmp_path / "stdout.txt").read_text() == "all rows\n"  # flushed before returning
        assert stopped(argparse.Namespace()) == 1
        assert os.path.samestat(os.fstat(stdout.fileno()), os.stat(os.devnull))
        assert stopped.__name__ == "stopped"


def test_version_falls_back_to_pyproject_when_the_package_is_not_installed(monkeypatch):
    monkeypatch.setattr(common, "_distribution_version", lambda name: None)
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert common._own_version() == declared
    assert common.version_text().splitlines()[0] == f"newsetl {declared}"

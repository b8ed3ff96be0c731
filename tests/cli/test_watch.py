"""`newsetl watch`: a seeds folder that is not there is one line before anything starts; an interrupted run
stops the watcher; a failed one does not."""

from __future__ import annotations

import pytest

from cli import watch
from cli.common import EXIT_INTERRUPTED
from cli.main import build_parser, main
from flows.settings import Settings


def test_a_missing_seeds_folder_is_one_line(tmp_path, capsys):
    assert main(["watch", "--seeds", str(tmp_path / "absent"), "--db", str(tmp_path / "news.duckdb")]) == 1
    assert capsys.readouterr() == ("", f"newsetl: seeds folder not found: {tmp_path / 'absent'}\n")
    assert not (tmp_path / "news.duckdb").exists()


def test_an_interrupted_run_stops_the_watcher_and_other_outcomes_do_not(monkeypatch):
    outcomes = iter([0, 1, 3, EXIT_INTERRUPTED])
    triggers = []

    def run_once(settings, trigger, debug):
        triggers.append(trigger)
        return next(outcomes)

    monkeypatch.setattr(watch, "run_once", run_once)
    assert [watch._watched_run(Settings(), debug=False) for _ in range(3)] == [0, 1, 3]
    with pytest.raises(KeyboardInterrupt):
        watch._watched_run(Settings(), debug=False)
    assert triggers == ["watch"] * 4  # each run is tagged as the watcher's


def test_the_defaults_and_the_wait_for_another_writer(capsys):
    args = build_parser().parse_args(["watch"])
    assert (args.poll, args.debounce, args.max_runs, args.wait) == (1.0, 2.0, None, None)
    with pytest.raises(SystemExit):
        main(["watch", "--help"])
    assert f"(default {watch.WAIT_SECONDS:g})" in " ".join(capsys.readouterr().out.split())

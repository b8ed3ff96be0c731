"""The folder watcher: one run at start, then one run per burst of changes, after a quiet period."""

import threading
import time

from flows.watch import fingerprint, watch


def test_fingerprint_sees_edits_and_ignores_hidden_files(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    before = fingerprint(tmp_path)
    (tmp_path / ".hidden").write_text("x")
    assert fingerprint(tmp_path) == before
    (tmp_path / "a.txt").write_text("one, edited")
    assert fingerprint(tmp_path) != before


def test_a_burst_of_changes_triggers_exactly_one_run(tmp_path):
    (tmp_path / "a.txt").write_text("start")
    runs: list[float] = []
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(tmp_path, lambda: runs.append(time.monotonic())),
                               kwargs={"poll_seconds": 0.05, "debounce_seconds": 0.4, "stop": stop})
    watcher.start()
    time.sleep(0.3)
    assert len(runs) == 1  # the catch-up run at start
    for i in range(5):  # five quick edits: one burst
        (tmp_path / f"b{i}.txt").write_text(str(i))
        time.sleep(0.05)
    time.sleep(1.0)
    assert len(runs) == 2
    time.sleep(0.6)  # quiet folder: no further runs
    stop.set()
    watcher.join(timeout=5)
    assert len(runs) == 2


def test_a_failing_run_does_not_stop_the_watcher(tmp_path):
    calls = []

    def failing():
        calls.append(1)
        raise RuntimeError("boom")

    assert watch(tmp_path, failing, poll_seconds=0.01, max_runs=1) == 1 and calls == [1]


def test_a_change_made_during_a_run_triggers_another(tmp_path):
    (tmp_path / "a.txt").write_text("start")
    runs = []

    def slow_run():
        runs.append(1)
        if len(runs) == 1:
            (tmp_path / "a.txt").write_text("edited while the first run was going")

    assert watch(tmp_path, slow_run, poll_seconds=0.05, debounce_seconds=0.2, max_runs=2) == 2


def test_a_folder_becoming_unreadable_or_readable_again_is_a_change(tmp_path, monkeypatch):
    import os

    (tmp_path / "locked").mkdir()
    before = fingerprint(tmp_path)  # an empty folder: no file to see vanish
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                        if os.fspath(path).endswith("locked") else real_scandir(path))
    locked = fingerprint(tmp_path)
    assert locked != before and ("locked/", -1, -1) in locked
    monkeypatch.setattr(os, "scandir", real_scandir)
    assert fingerprint(tmp_path) == before


def test_an_unreadable_seeds_folder_does_not_crash_the_watcher(tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    assert fingerprint(tmp_path) == (("./", -1, -1),)


def test_newsetl_output_inside_the_seeds_folder_is_not_a_change(tmp_path):
    from warehouse.output_folder import OutputFolder

    (tmp_path / "a.txt").write_text("one")
    before = fingerprint(tmp_path)
    with OutputFolder(tmp_path / "report", "report", None) as folder:
        folder.begin({"index.html"})
        folder.write("index.html", b"<p>report</p>")
        folder.finish({"index.html"})
    assert fingerprint(tmp_path) == before

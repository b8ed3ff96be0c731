"""One writer at a time."""

import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from flows.lock import WarehouseBusy, WarehouseLock


@contextmanager
def _held_by_another_process(db, run_id: str):
    """The lock taken by another process (a lock is re-entrant within one process), released on exit."""
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from flows.lock import WarehouseLock; "
                               f"lock = WarehouseLock({str(db)!r}, {run_id!r}).__enter__(); print('held', flush=True); "
                               "sys.stdin.readline()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_second_writer_is_refused_with_the_name_of_the_first(tmp_path):
    db = tmp_path / "news.duckdb"
    with _held_by_another_process(db, "run-A"):
        with pytest.raises(WarehouseBusy, match="run-A"):
            with WarehouseLock(db, "run-B"):
                pass
        with pytest.raises(WarehouseBusy):
            with WarehouseLock(db, "run-C", wait_seconds=0.3):  # a waiting writer gives up after its wait
                pass
    with WarehouseLock(db, "run-B"):  # released: free again
        pass


def test_the_process_holding_the_lock_may_take_it_again(tmp_path):
    db = tmp_path / "news.duckdb"
    with WarehouseLock(db, "run-A"):
        with WarehouseLock(db, "run-A"):  # the CLI holds it while the flow takes it too
            pass
        with _held_by_another_process_refused(db):
            pass
    with _held_by_another_process(db, "run-B"):
        pass


@contextmanager
def _held_by_another_process_refused(db):
    probe = subprocess.run([sys.executable, "-c", "from flows.lock import WarehouseLock, WarehouseBusy\n"
                            f"try:\n    WarehouseLock({str(db)!r}, 'x').__enter__()\nexcept WarehouseBusy:\n"
                            "    print('busy')"], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert probe.stdout.strip() == "busy", probe.stderr
    yield


def test_a_waiting_writer_gets_the_lock_when_the_first_finishes(tmp_path):
    db = tmp_path / "news.duckdb"
    with _held_by_another_process(db, "run-A") as holder:
        def release() -> None:
            holder.stdin.write("release\n")
            holder.stdin.flush()

        threading.Timer(0.5, release).start()
        started = time.monotonic()
        with WarehouseLock(db, "run-B", wait_seconds=10):
            assert time.monotonic() - started >= 0.4

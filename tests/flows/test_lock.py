"""One writer at a time."""

import threading
import time

import pytest

from flows.lock import WarehouseBusy, WarehouseLock, check_free


def test_a_second_writer_is_refused_with_the_name_of_the_first(tmp_path):
    db = tmp_path / "news.duckdb"
    with WarehouseLock(db, "run-A"):
        with pytest.raises(WarehouseBusy, match="run-A"):
            with WarehouseLock(db, "run-B"):
                pass
        with pytest.raises(WarehouseBusy):
            check_free(db, "run-C")
    with WarehouseLock(db, "run-B"):  # released: free again
        pass


def test_a_waiting_writer_gets_the_lock_when_the_first_finishes(tmp_path):
    db = tmp_path / "news.duckdb"
    first = WarehouseLock(db, "run-A").__enter__()
    threading.Timer(0.5, first.__exit__, args=(None, None, None)).start()
    started = time.monotonic()
    with WarehouseLock(db, "run-B", wait_seconds=10):
        assert time.monotonic() - started >= 0.4

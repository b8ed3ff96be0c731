"""One writer at a time: an exclusive lock file next to the warehouse, held for the whole run.

`flock` is released by the kernel when the holder dies, so a killed run never leaves a stale lock. The
file itself says who holds it, so a second run can name the one it is waiting for.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

from warehouse.paths import lock_path


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse lock."""


def holder(db_path: Path) -> dict:
    """Who holds (or last held) the lock, as written by them."""
    try:
        return json.loads(lock_path(db_path).read_text() or "{}")
    except (OSError, ValueError):
        return {}


_HELD: dict[Path, int] = {}  # lock files this process holds, and how many times it entered each


class WarehouseLock:
    """`with WarehouseLock(db, run_id, wait_seconds=0):` — raises `WarehouseBusy` naming the running run
    when the lock is not free within `wait_seconds`. Re-entrant within one process: the CLI takes the lock
    before its no-op check and keeps it while the flow (which takes it too, for `serve`) runs, so no other
    run can slip in between."""

    def __init__(self, db_path: Path, run_id: str, wait_seconds: float = 0.0) -> None:
        self.path = lock_path(db_path)
        self.run_id = run_id
        self.wait_seconds = wait_seconds
        self._handle = None
        self._key = Path(os.path.abspath(self.path))

    def __enter__(self) -> "WarehouseLock":
        if _HELD.get(self._key):
            _HELD[self._key] += 1
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    other = holder(Path(str(self.path).removesuffix(".lock")))
                    raise WarehouseBusy(
                        f"another run is writing to the warehouse: run {other.get('run_id', '?')} "
                        f"(pid {other.get('pid', '?')} on {other.get('host', '?')}, started "
                        f"{other.get('started_at', '?')}); this run {self.run_id} did not start. "
                        f"Wait for it, or pass --wait SECONDS.") from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"run_id": self.run_id, "pid": os.getpid(), "host": socket.gethostname(),
                                 "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
        handle.flush()
        self._handle = handle
        _HELD[self._key] = 1
        return self

    def __exit__(self, *exc) -> None:
        _HELD[self._key] = _HELD.get(self._key, 1) - 1
        if self._handle is not None and not _HELD[self._key]:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

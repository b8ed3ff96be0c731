"""`newsetl watch`: re-ingest when files in the seeds folder change, debounced.

Polls a cheap fingerprint of the folder (path, size, modification time of every file): no extra
dependency, works on network filesystems where change notifications do not. A burst of changes (a copy
of many files, an editor's save dance) triggers one run once the folder has been quiet for `debounce`
seconds; the run itself decides, by content hash, what really changed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(seeds_dir: Path) -> Fingerprint:
    """(relative path, size, mtime in ns) of every non-hidden file under the folder, sorted."""
    root = Path(seeds_dir)
    entries = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            entries.append((path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(sorted(entries))


def watch(seeds_dir: Path, run: Callable[[], object], poll_seconds: float = 1.0, debounce_seconds: float = 2.0,
          max_runs: int | None = None, stop: threading.Event | None = None, run_at_start: bool = True) -> int:
    """Call `run()` at start (to catch up) and once after each quiet period following a change.
    Returns the number of runs made; stops after `max_runs` runs or when `stop` is set."""
    stop = stop or threading.Event()
    runs = 0

    def fire() -> bool:
        nonlocal runs
        try:
            run()
        except Exception:  # noqa: BLE001 - a failed run is logged; the watcher keeps watching
            log.exception("run failed")
        runs += 1
        return max_runs is not None and runs >= max_runs

    seen = fingerprint(seeds_dir)  # taken before each run: a change made during a run triggers the next one
    if run_at_start and fire():
        return runs
    changed_at: float | None = None
    while not stop.wait(poll_seconds):
        current = fingerprint(seeds_dir)
        if current != seen:
            seen, changed_at = current, time.monotonic()
            log.info("change seen in %s; waiting %.1fs for it to settle", seeds_dir, debounce_seconds)
        elif changed_at is not None and time.monotonic() - changed_at >= debounce_seconds:
            changed_at = None
            if fire():
                break
    return runs

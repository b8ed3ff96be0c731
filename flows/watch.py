"""`newsetl watch`: re-ingest when files in the seeds folder change, debounced.

Polls a cheap fingerprint of the folder (path, size, modification time of every file the run would read,
and every folder it could not list): no extra dependency, works on network filesystems where change
notifications do not. A burst of changes (a copy
of many files, an editor's save dance) triggers one run once the folder has been quiet for `debounce`
seconds; the run itself decides, by content hash, what really changed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from flows.sources import FILE, UNREADABLE, SeedsUnreadable, walk_seeds

log = logging.getLogger(__name__)
Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(seeds_dir: Path, outputs: Iterable[Path] = ()) -> Fingerprint:
    """(relative path, size, mtime in ns) of every file a run would read, as `flows.sources.walk_seeds`
    finds them (newsetl's own output is not a change), sorted; a folder that cannot be listed counts as
    (its path + "/", -1, -1), so its becoming unreadable or readable again is a change too."""
    root = Path(seeds_dir)
    entries = []
    try:
        for what, path, _ in walk_seeds(root, outputs):
            if what == UNREADABLE:
                entries.append((path.relative_to(root).as_posix() + "/", -1, -1))
            elif what == FILE:
                try:
                    info = path.lstat()
                except OSError:
                    continue  # gone since it was listed: the next poll sees it gone
                entries.append((path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns))
    except SeedsUnreadable:
        return (("./", -1, -1),)
    return tuple(sorted(entries))


def watch(seeds_dir: Path, run: Callable[[], object], poll_seconds: float = 1.0, debounce_seconds: float = 2.0,
          max_runs: int | None = None, stop: threading.Event | None = None, run_at_start: bool = True,
          outputs: Iterable[Path] = ()) -> int:
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

    seen = fingerprint(seeds_dir, outputs)  # taken before each run: a change made during a run triggers the next one
    if run_at_start and fire():
        return runs
    changed_at: float | None = None
    while not stop.wait(poll_seconds):
        current = fingerprint(seeds_dir, outputs)
        if current != seen:
            seen, changed_at = current, time.monotonic()
            log.info("change seen in %s; waiting %.1fs for it to settle", seeds_dir, debounce_seconds)
        elif changed_at is not None and time.monotonic() - changed_at >= debounce_seconds:
            changed_at = None
            if fire():
                break
    return runs

"""Progress on a terminal: a bar over documents while they are extracted, and a line as each later stage
(resolve, validate, load) finishes, so a long run is never silent. Nothing is drawn when stderr is not a
terminal (logs, CI, pipes) or with `--no-progress`."""

from __future__ import annotations

import sys
from typing import TextIO

# Batches a worker gets when a bar is shown: the bar moves once per finished batch, so several per worker.
BATCHES_PER_WORKER_SHOWN = 4
MIN_BATCH_SHOWN = 4


def shows(enabled: bool, stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    return enabled and hasattr(stream, "isatty") and stream.isatty()


def document_bar(total: int, enabled: bool, stream: TextIO | None = None):
    """A bar over the documents of the extract stage (kept on screen when done)."""
    from tqdm import tqdm  # deferred: 70 ms of imports that a run with nothing to extract does without

    return tqdm(total=total, unit="doc", desc="extract", disable=not shows(enabled, stream), leave=True,
                file=stream or sys.stderr, dynamic_ncols=True)


def stage_done(stage: str, seconds: float, enabled: bool, stream: TextIO | None = None) -> None:
    """One line when a stage after extraction finishes."""
    if shows(enabled, stream):  # written, not print()ed: the flow turns print() into log records
        stream = stream or sys.stderr
        stream.write(f"{stage}: done in {seconds:.2f}s\n")
        stream.flush()


def batch_size_shown(documents: int, batch_size: int, workers: int, enabled: bool) -> int:
    """With a bar on screen, batches small enough that it moves several times per worker."""
    if not shows(enabled):
        return batch_size
    return min(batch_size, max(MIN_BATCH_SHOWN, -(-documents // (workers * BATCHES_PER_WORKER_SHOWN))))


def notice(text: str, stream: TextIO | None = None) -> None:
    """One line about something the run is doing that the user must not mistake for a hang (waiting for a
    reader to close the warehouse): always shown, terminal or not."""
    stream = stream or sys.stderr
    stream.write(f"newsetl: {text}\n")  # written, not print()ed: the flow turns print() into log records
    stream.flush()

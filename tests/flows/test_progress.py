"""Progress is drawn on a terminal, and only there."""

from __future__ import annotations

import fcntl
import io
import os
import struct
import termios

from flows.progress import batch_size_shown, document_bar, stage_done


def _terminal() -> tuple[int, io.TextIOWrapper]:
    """(master fd, the terminal's end as a text stream), 24 rows by 100 columns like a real one."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    return master, io.TextIOWrapper(os.fdopen(slave, "wb", buffering=0), encoding="utf-8", write_through=True)


def _drawn(master: int) -> str:
    os.set_blocking(master, False)
    chunks = []
    while True:
        try:
            chunks.append(os.read(master, 65536))
        except (BlockingIOError, OSError):
            return b"".join(chunks).decode("utf-8", "replace")


def _run_stages(enabled: bool, stream) -> None:
    with document_bar(40, enabled, stream) as bar:
        bar.update(20)
        bar.update(20)
    stage_done("resolve", 0.4, enabled, stream)


def test_a_terminal_gets_a_document_bar_that_stays_and_a_line_per_stage():
    master, stream = _terminal()
    _run_stages(True, stream)
    drawn = _drawn(master)
    assert "extract" in drawn and "40/40" in drawn and "doc" in drawn
    assert "resolve: done in 0.40s" in drawn


def test_nothing_is_drawn_off_a_terminal_or_when_switched_off():
    log = io.StringIO()
    _run_stages(True, log)
    assert log.getvalue() == ""
    master, stream = _terminal()
    _run_stages(False, stream)
    assert _drawn(master) == ""


def test_batches_shrink_only_when_a_bar_is_on_screen(monkeypatch):
    from flows import progress

    assert batch_size_shown(40, 32, 2, enabled=True) == 32  # stderr is no terminal under pytest
    monkeypatch.setattr(progress, "shows", lambda enabled, stream=None: enabled)
    assert batch_size_shown(40, 32, 2, enabled=True) == 5  # 8 batches: the bar moves 8 times
    assert batch_size_shown(10, 32, 2, enabled=True) == 4
    assert batch_size_shown(1000, 32, 2, enabled=True) == 32
    assert batch_size_shown(40, 32, 2, enabled=False) == 32

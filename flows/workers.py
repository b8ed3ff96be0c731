"""Worker processes that never outlive their run."""

from __future__ import annotations


def die_with_parent() -> None:
    """In a worker process: have the kernel end it when the process that started it dies, so a run
    killed outright (SIGKILL) leaves no worker behind. Linux only; elsewhere a no-op."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

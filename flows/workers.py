"""Worker processes that never outlive their run."""

from __future__ import annotations


def die_with_parent(signal_number: int | None = None) -> None:
    """In a worker process: have the kernel end it (SIGKILL, or `signal_number`) when the process that
    started it dies, so a run killed outright (SIGKILL) leaves no worker behind. Linux only; elsewhere a
    no-op."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal_number or signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def init_worker() -> None:
    """Initializer of the run's worker processes: they die with the run, and leave Ctrl-C to it (a
    terminal sends SIGINT to the whole process group; the run stops its workers itself, so no worker
    prints a KeyboardInterrupt traceback of its own)."""
    import signal

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def result_of(future, poll_seconds: float = 0.25):
    """`future.result()`, waking every `poll_seconds`. Python runs signal handlers (Ctrl-C, SIGTERM) in the
    main thread only, when it runs: a plain wait on a worker's result can sleep through a signal until the
    batch is done, many seconds later."""
    from concurrent.futures import TimeoutError as Pending

    while True:
        try:
            return future.result(timeout=poll_seconds)
        except Pending:
            continue


def stop_pool(pool) -> None:
    """Stop a `ProcessPoolExecutor` now: its processes are terminated, not waited for (a batch can take
    many seconds), and its queued work is dropped. For an interrupted run."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)

"""Worker processes that never outlive their run.

On Linux the kernel can signal a child when its parent dies (PR_SET_PDEATHSIG), which covers even a run
killed outright (SIGKILL: no handler, no `atexit`). Two catches shape the code here: the parent it watches
is the *thread* that started the child, so children are started from the main thread, which lives as long
as the process; and a child that asks after its parent has died is never signalled, so it checks that its
parent is still the one that started it, and asks first, before any slow import. Multiprocessing's
resource tracker needs nothing: it exits when the last process holding its pipe (the run, its workers)
is gone.
"""

from __future__ import annotations

import functools
import os
import signal

PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl():
    """libc's `prctl`, or None (not Linux)."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def die_with_parent(signal_number: int | None = None, parent_pid: int | None = None) -> None:
    """In a child process: have the kernel end it (SIGKILL, or `signal_number`) when the thread that started
    it dies. With `parent_pid`, exit at once if that parent is already gone (the kernel would never send the
    signal). Linux only; elsewhere a no-op."""
    prctl = _prctl()
    if prctl is None:
        return
    prctl(PR_SET_PDEATHSIG, signal_number or signal.SIGKILL)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)


def tied_to_this_process(signal_number: int = signal.SIGKILL):
    """A `preexec_fn` for `subprocess.Popen` (call it in the thread that starts the child): the child gets
    `signal_number` when that thread dies. What it needs is looked up here, before the fork: between fork
    and exec only the forking thread exists, and loading a library or importing a module there can
    deadlock on a lock another thread held."""
    prctl, parent_pid = _prctl(), os.getpid()

    def tie() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal_number)
            if os.getppid() != parent_pid:
                os._exit(1)

    return tie


def init_worker(then: str = "", *args) -> None:
    """Initializer of the run's worker processes: they die with the run, and leave Ctrl-C to it (a
    terminal sends SIGINT to the whole process group; the run stops its workers itself, so no worker
    prints a KeyboardInterrupt traceback of its own). Then `then` ("module:function") runs with `args`:
    named, not passed, because unpickling a function imports its module, and a worker must be tied to
    the run before it spends seconds importing spaCy."""
    import importlib
    import multiprocessing

    parent = multiprocessing.parent_process()
    die_with_parent(parent_pid=parent.pid if parent is not None else None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if then:
        module, name = then.split(":")
        getattr(importlib.import_module(module), name)(*args)


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
    many seconds), and its queued work is dropped. For an interrupted run. An idle pool is shut down the
    ordinary way, which is as quick: a worker killed while idle can leave a queue's semaphore behind, and
    multiprocessing's resource tracker then prints a warning about it on the terminal."""
    if not getattr(pool, "_pending_work_items", None):
        pool.shutdown(wait=True, cancel_futures=True)
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _spawnv_passfds_own_group(path, args, passfds):
    """`multiprocessing.util.spawnv_passfds` of Python 3.11, with one change: the child starts in a process
    group of its own (`process_group=0`, as `subprocess.Popen(process_group=0)` would do)."""
    import _posixsubprocess
    import subprocess

    passfds = tuple(sorted(map(int, passfds)))
    errpipe_read, errpipe_write = os.pipe()
    try:
        return _posixsubprocess.fork_exec(
            args, [path], True, passfds, None, None,
            -1, -1, -1, -1, -1, -1, errpipe_read, errpipe_write,
            False, False, 0, None, None, None, -1, None,
            subprocess._USE_VFORK)
    finally:
        os.close(errpipe_read)
        os.close(errpipe_write)


def spawn_outside_terminal_group() -> None:
    """From now on, every process `multiprocessing` spawns in this process (extraction and validation workers,
    its resource tracker, Dask's workers) starts in a process group of its own.

    A terminal's Ctrl-C is SIGINT to its whole foreground process group. A worker that takes it while it
    starts (before `init_worker` can ignore it) dies with a KeyboardInterrupt traceback on the terminal;
    one that is running would drop its batch. Out of the terminal's group, workers never see it: the run
    alone gets the Ctrl-C and stops them (`stop_pool`), and the parent-death signal still ends them if the
    run is killed. Python 3.11 spawns through `multiprocessing.util.spawnv_passfds`, whose only knob for
    this is the `fork_exec` argument set here; on any other Python this does nothing."""
    import multiprocessing.util
    import sys

    if sys.version_info[:2] == (3, 11) and sys.platform.startswith("linux"):
        multiprocessing.util.spawnv_passfds = _spawnv_passfds_own_group

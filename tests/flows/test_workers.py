"""Worker processes that never outlive their run: a child tied to the thread that started it dies with it,
a worker is tied to the run and leaves Ctrl-C to it, a busy pool stops at once, a wait for a result wakes for
signals, and spawned processes start outside the terminal's process group."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

import pytest

from flows.workers import init_worker, result_of, spawn_outside_terminal_group, stop_pool, tied_to_this_process
from tests.helpers.processes import gone_within




def test_a_child_tied_to_a_thread_dies_with_that_thread():
    started: list[subprocess.Popen] = []

    def start() -> None:  # the thread ends as soon as the child is started
        started.append(subprocess.Popen(["sleep", "30"], preexec_fn=tied_to_this_process()))

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    [child] = started
    try:
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()


def test_a_worker_ignores_ctrl_c_and_runs_its_named_set_up_first(tmp_path):
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=init_worker,
                             initargs=("os:chdir", str(tmp_path))) as pool:
        assert pool.submit(signal.getsignal, signal.SIGINT).result(timeout=30) == signal.SIG_IGN
        assert pool.submit(os.getcwd).result(timeout=30) == str(tmp_path)


def test_a_busy_pool_is_stopped_at_once_and_an_idle_one_shut_down():
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    busy = pool.submit(time.sleep, 60)
    [pid] = [p.pid for p in pool._processes.values()]
    clock = time.monotonic()
    stop_pool(pool)
    assert time.monotonic() - clock < 10 and gone_within(pid, 5)
    assert busy.done()
    idle = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    assert idle.submit(abs, -3).result(timeout=30) == 3
    stop_pool(idle)
    with pytest.raises(RuntimeError):  # shut down: takes no more work
        idle.submit(abs, -4)


def test_a_wait_for_a_result_returns_it_or_its_error():
    later: Future = Future()
    threading.Timer(0.3, later.set_result, ["batch 1"]).start()
    assert result_of(later, poll_seconds=0.05) == "batch 1"
    failed: Future = Future()
    failed.set_exception(ValueError("worker died"))
    with pytest.raises(ValueError, match="worker died"):
        result_of(failed)


def test_spawned_processes_start_in_a_process_group_of_their_own(monkeypatch):
    monkeypatch.setattr(multiprocessing.util, "spawnv_passfds", multiprocessing.util.spawnv_passfds)  # undone after
    spawn_outside_terminal_group()
    child = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(30,))
    child.start()
    try:
        assert os.getpgid(child.pid) == child.pid != os.getpgid(0)
    finally:
        child.terminate()
        child.join(10)

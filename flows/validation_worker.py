"""The validation worker: Great Expectations in a process of its own, started when the CLI starts, so that
its fixed cost (importing GX, opening the project) runs on another core while Prefect starts. What is
validated and how is `expectations.validate`; this module is only where it runs."""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import polars as pl

from expectations.validate import (ValidationOutcome, build_data_docs, open_quietly, prepare, site_url,
                                   validate_frames)
from flows.workers import init_worker, result_of, stop_pool
from contract.window import DateWindow

log = logging.getLogger(__name__)


class ValidationWorker:
    """Great Expectations in a process of its own, started when the CLI starts.

    Importing GX and opening the project costs seconds of CPU. Started early in another process, that
    cost runs on another core while Prefect starts its local server, instead of on the critical path
    (a thread would not help: the import holds the interpreter lock). Frames go to it and come back
    pickled (Arrow IPC under the hood), which is cheap next to validation itself.
    """

    def __init__(self, project_dir: Path) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=init_worker)
        self._ready = self._pool.submit(prepare, Path(project_dir))
        self._docs = None

    def validate(self, frames: dict[str, pl.DataFrame], project_dir: Path, run_id: str, window: DateWindow,
                 build_docs: bool) -> "ValidationOutcome":
        """Validate, and start the Data Docs build in the background: the run loads meanwhile, and
        `close` waits for the pages before the CLI prints their path."""
        outcome = result_of(self._pool.submit(validate_frames, frames, project_dir, run_id, window, False))
        if build_docs:
            self._docs = self._pool.submit(build_data_docs, Path(project_dir), run_id)
            outcome.data_docs = site_url(Path(project_dir))
        return outcome

    def terminate(self) -> None:
        """Stop the worker now (an interrupted run): no waiting for validation or Data Docs to finish."""
        stop_pool(self._pool)

    def close(self) -> None:
        if self._docs is not None:
            try:
                self._docs.result()
            except Exception:  # noqa: BLE001 - a report failure must not fail a loaded run
                log.exception("building Data Docs failed")
        self._pool.shutdown(wait=True, cancel_futures=True)


_worker: ValidationWorker | None = None


def start_warm_up(project_dir: Path) -> None:
    """Start the validation worker (see `ValidationWorker`); the flow uses it when present."""
    global _worker
    if _worker is None:
        _worker = ValidationWorker(project_dir)


def stop_worker(now: bool = False) -> None:
    """Stop the validation worker: after its pending work (Data Docs pages), or at once (`now`)."""
    global _worker
    if _worker is not None:
        _worker.terminate() if now else _worker.close()
        _worker = None


def warm_up(project_dir: Path) -> None:
    """Make sure GX is ready: in the worker when there is one (waiting for it), else in this process."""
    if _worker is not None:
        try:
            result_of(_worker._ready)
            return
        except BrokenProcessPool:
            log.warning("validation worker failed to start; GX runs in this process")
    open_quietly(Path(project_dir))


def run_validation(frames: dict[str, pl.DataFrame], project_dir: Path, run_id: str, window: DateWindow,
                   build_docs: bool = True) -> "ValidationOutcome":
    """Validate in the worker process when the CLI started one, else here (e.g. on a Dask worker)."""
    if _worker is not None:
        try:
            return _worker.validate(frames, project_dir, run_id, window, build_docs)
        except BrokenProcessPool:
            log.warning("validation worker died; validating in this process")
    return validate_frames(frames, project_dir, run_id, window, build_docs)

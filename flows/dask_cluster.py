"""Extraction batches on a Dask cluster (`newsetl run --task-runner dask [--dask-address tcp://HOST:PORT]`).

Only extraction leaves the flow process: each batch is `flows.stages.process_batch` (pure, picklable),
submitted with a `distributed.Client` exactly where the local run submits it to its process pool.
Resolve, validate and the one load transaction stay serial in the flow process, as in a local run.

Why a `distributed.Client` and not Prefect's `DaskTaskRunner` (prefect-dask 0.3.7 resolves with
prefect 3.8.8): with the task runner every batch would become a Prefect task run on a Dask worker, and
every worker would have to reach the flow's Prefect API to report its state. A run without
`PREFECT_API_URL` uses a temporary server bound to localhost in the flow process
(`flows.server.start_temporary_server`), which a worker on another machine cannot reach. The batches
are plain functions of their arguments; the flow's `extract` task stays the one Prefect task for
extraction, and its results are taken in batch order, so the output is the same as a local run's.

The spaCy model: `stages.load_nlp` is `lru_cache`d per process and Dask worker processes live for the
whole run (a local cluster) or longer (a remote one), so a worker loads the model with its first batch and
reuses it for every later one; no worker plugin is needed. A remote cluster's workers must have this
project and the model package installed (the same `make install`).
"""

from __future__ import annotations

import logging
import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

LOCAL = "local"
DASK = "dask"
TASK_RUNNERS = (LOCAL, DASK)


@contextmanager
def dask_client(address: str | None, workers: int) -> Iterator:
    """A `distributed.Client` of the cluster at `address`, or of a `LocalCluster` of `workers` worker
    processes with one thread each (Dask's nannies start them with one math-library thread too). A local
    cluster is closed, its processes gone, when the block ends, however it ends; a remote cluster is only
    disconnected from."""
    from distributed import Client, LocalCluster  # deferred: a local run does without Dask (a second of imports)

    # The scheduler and nannies of a local cluster log every start and stop at INFO in this process: kept
    # to warnings for the run (the run's own progress and summary say what happened).
    dask_log = logging.getLogger("distributed")
    level = dask_log.level
    dask_log.setLevel(logging.WARNING)
    cluster = None
    if address is None:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, local_directory=tempfile.gettempdir(),
                               # No per-worker start/stop lines on the terminal, nor the heartbeat ERROR a busy
                               # worker logs when the scheduler closes first; a failed task still reaches the run
                               # as its exception, a lost worker as KilledWorker.
                               silence_logs=logging.CRITICAL)
    client = None
    try:
        client = Client(cluster if cluster is not None else address)
        yield client
    except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failed: the local workers go now, not after their batch
        if cluster is not None:
            _kill_workers(cluster)
        raise
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        dask_log.setLevel(level)


def worker_total(client) -> int:
    """Worker processes of the cluster (at least one)."""
    return max(1, len(client.nthreads()))


def _kill_workers(cluster) -> None:
    """SIGKILL the worker processes of a local cluster: a worker busy in a batch does not answer its nanny's
    request to close, which then waits 4 s per worker before killing it (and says so on the terminal)."""
    for nanny in list(getattr(cluster, "workers", {}).values()):
        pid = getattr(nanny, "pid", None)
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

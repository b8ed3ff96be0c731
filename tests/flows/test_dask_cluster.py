"""Extraction batches on a Dask cluster: a cluster at an address is used as it is and only disconnected from;
a local one is started with one single-threaded worker process each and gone, workers included, when its block
ends, however it ends. Dask's own logging is kept to warnings meanwhile."""

from __future__ import annotations

import logging
import os
import time

import pytest
from distributed import Client, LocalCluster

from flows.dask_cluster import dask_client, worker_total
from tests.helpers.processes import gone_within




def test_a_cluster_at_an_address_is_used_as_it_is_and_left_running():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        level = logging.getLogger("distributed").level
        with dask_client(cluster.scheduler_address, workers=5) as client:
            assert worker_total(client) == 2  # the cluster's workers, not the number asked for a local one
            assert client.submit(sum, [1, 2, 3]).result(timeout=30) == 6
            assert logging.getLogger("distributed").level == logging.WARNING
        assert logging.getLogger("distributed").level == level
        with Client(cluster) as again:  # only disconnected from
            assert again.submit(abs, -4).result(timeout=30) == 4


def test_a_cluster_without_workers_counts_as_one():
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        assert worker_total(client) == 1


def test_a_local_cluster_and_its_workers_are_gone_when_the_block_fails():
    with pytest.raises(RuntimeError, match="batch failed"):
        with dask_client(None, workers=1) as client:
            assert worker_total(client) == 1
            assert set(client.nthreads().values()) == {1}
            pids = list(client.run(os.getpid).values())
            assert pids and os.getpid() not in pids  # worker processes, not threads of this one
            raise RuntimeError("batch failed")
    assert all(gone_within(pid, 5) for pid in pids)

"""The ingest flow's own parts, without Prefect running it: batches and worker counts, batches left by a dead
worker, the stage clock, an extraction less the files rejected after it, and a scheduled run's one line."""

from __future__ import annotations

import logging
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import polars as pl

import flows.ingest as ingest
from flows.incremental import RunReport
from flows.ingest import Extraction, StageClock, _batches, one_line, worker_count
from transforms.article import Rejected


def test_batches_are_equal_shares_for_the_workers():
    assert [len(b) for b in _batches(list(range(84)), 32, 2)] == [21, 21, 21, 21]
    assert [len(b) for b in _batches(list(range(5)), 32, 2)] == [3, 2]
    assert [len(b) for b in _batches(list(range(5)), 32, 1)] == [5]
    assert [len(b) for b in _batches(list(range(3)), 1, 4)] == [1, 1, 1]
    assert _batches([], 32, 2) == []
    assert [x for b in _batches(list(range(100)), 7, 3) for x in b] == list(range(100))


def test_worker_processes_are_started_only_for_enough_documents():
    assert worker_count(1, 2, 24) == 1
    assert worker_count(47, 2, 24) == 1
    assert worker_count(48, 2, 24) == 2
    assert worker_count(1000, 2, 24) == 2
    assert worker_count(5, 2, 1) == 2


def test_batches_left_by_a_dead_worker_are_extracted_in_the_flow_process(monkeypatch):
    done = []

    def fake_process_batch(batch, model, run_id, ingested_at):
        done.append(batch)
        return {"articles": batch}, []

    class DyingPool:
        """Runs the first batch submitted, then dies: every later batch fails as a dead pool's would."""

        def __init__(self) -> None:
            self.submitted = 0

        def submit(self, function, batch, *rest):
            future = Future()
            if self.submitted == 0:
                future.set_result(function(batch, None, None, None))
            else:
                future.set_exception(BrokenProcessPool("worker died"))
            self.submitted += 1
            return future

    @contextmanager
    def dying_workers(workers, model_name):
        yield DyingPool()

    monkeypatch.setattr(ingest, "batch_workers", dying_workers)
    monkeypatch.setattr(ingest.stages, "process_batch", fake_process_batch)
    monkeypatch.setattr(ingest, "concat_frames", lambda parts: [p["articles"] for p in parts])
    monkeypatch.setattr(ingest, "get_run_logger", lambda: logging.getLogger("test"))
    frames, rejected = ingest.extract_task.fn([[1, 2], [3], [4]], "m", "r", None, 2, False)
    assert frames == [[1, 2], [3], [4]] and rejected == [] and done == [[1, 2], [3], [4]]


def test_the_stage_clock_adds_laps_of_a_stage_and_records_one_timed_elsewhere():
    clock = StageClock(progress=False)
    clock.record("discover", 1.5)
    clock.lap("extract")
    clock.lap("extract")
    clock.lap("load")
    assert list(clock.seconds) == ["discover", "extract", "load"]
    assert clock.seconds["discover"] == 1.5 and all(0 <= clock.seconds[s] < 1 for s in ("extract", "load"))


def test_an_extraction_less_the_files_rejected_after_it():
    articles = pl.DataFrame({"article_id": ["a1", "a2", "a3"], "seed_name": ["one.txt", "two.txt", "three.txt"]})
    quotes = pl.DataFrame({"article_id": ["a1", "a2", "a2"], "quote_id": ["q1", "q2", "q3"]})
    early = Rejected("not_utf8", "not text", "four.txt")
    extraction = Extraction({"articles": articles, "quotes": quotes}, {"articles": articles.head(2)}, [early],
                            ["a3"])
    assert extraction.without([]) is extraction
    late = [Rejected("duplicate_body", "same body as one.txt", "two.txt")]
    kept = extraction.without(late)
    assert kept.frames["articles"]["article_id"].to_list() == ["a1", "a3"]
    assert kept.frames["quotes"]["quote_id"].to_list() == ["q1"]
    assert kept.fresh["articles"]["article_id"].to_list() == ["a1"]
    assert kept.rejections == [early, *late] and kept.reused_ids == ["a3"]


def test_a_scheduled_run_is_one_line():
    report = RunReport("20260105T090000Z-r0a1b", "completed", files_new=2, files_changed=1, files_unchanged=5,
                       files_removed=0, documents_processed=3, counts={"articles": 8})
    assert one_line(report) == ("newsetl: scheduled run 20260105T090000Z-r0a1b: completed; new 2, changed 1, "
                                "unchanged 5, removed 0; documents processed 3; articles in warehouse 8")
    assert one_line(RunReport("r", "noop")).endswith("articles in warehouse 0")

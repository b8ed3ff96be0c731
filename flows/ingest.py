"""The `ingest` Prefect flow: discover → read/decode → clean → extract → resolve → validate → load.

Tasks work on batches of documents (never one task per sentence or record). With no Prefect server
configured, Prefect starts its local ephemeral server; with `PREFECT_API_URL` set it reports there.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, tags, task
from prefect.cache_policies import NONE as NO_CACHE
from prefect.runtime import flow_run

from flows import stages
from flows.dask_cluster import DASK, dask_client, worker_total
from flows.incremental import (Planned, RunPlan, RunReport, peak_rss_mb, plan_checked, publish_validation_report,
                               record_noop, run_row, take_over, utcnow, with_validation_report)
from flows.lock import WarehouseBusy, WarehouseLock
from flows.progress import batch_size_shown, document_bar, notice, stage_done
from flows.settings import Settings, new_run_id  # noqa: F401 - re-exported
from flows.sources import RawFile
from expectations.validate import ValidationOutcome, file_quarantine, merge_outcomes
from flows.validation_worker import run_validation, warm_up
from flows.workers import init_worker, result_of, stop_pool
from transforms.article import Rejected, article_id_for
from contract.window import DateWindow
from transforms.frames import Frames, concat_frames, drop_articles, order_by_articles
from transforms.manifest import manifest_after, seed_order
import contract
from warehouse.loader import LoadPlan, check_writable, load, table_counts
from warehouse.plan import build_load_plan
from warehouse.state import existing_article_ids, read_staged


@task(name="scan", cache_policy=NO_CACHE)
def plan_task(settings: Settings) -> Planned:
    return plan_checked(settings)


@contextmanager
def batch_workers(workers: int, model_name: str) -> Iterator[ProcessPoolExecutor | None]:
    """`workers` spawned processes that each load the model once and then extract batches; None when one
    process is enough. The pool is shut down (its processes gone) when the block ends, however it ends.
    Each worker runs one math-library thread (`flows.startup`): the workers are the parallelism."""
    if workers <= 1:
        yield None
        return
    # Tied to the run first, then the model loaded before the first batch (see `init_worker`).
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=init_worker, initargs=("flows.stages:load_nlp", model_name))
    try:
        yield pool
    except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now, not after their batch
        stop_pool(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(batches: list[list[RawFile]], model_name: str, run_id: str, ingested_at: datetime, workers: int,
                 progress: bool, dask_client=None) -> tuple[Frames, list[Rejected]]:
    """Decode, clean and extract every batch, side by side in `workers` processes, or on the workers of
    `dask_client` (`flows.dask_cluster`); results are taken in batch order, so the output is the same
    whatever the number of workers. If a worker process dies (out of memory, a crash in native code), the
    batches not done yet are extracted here instead (on Dask: once the scheduler gives up on a batch)."""
    if dask_client:
        from distributed import KilledWorker  # deferred: a local run does without Dask (a second of imports)

        worker_died: tuple[type[BaseException], ...] = (KilledWorker,)
    else:
        worker_died = (BrokenProcessPool,)  # a local run does not import distributed
    parts: list[Frames] = []
    rejections: list[Rejected] = []
    arguments = (repeat(model_name), repeat(run_id), repeat(ingested_at))
    with batch_workers(0 if dask_client else min(workers, len(batches)), model_name) as pool, \
            document_bar(sum(map(len, batches)), progress) as bar:
        executor = dask_client or pool
        futures = [executor.submit(stages.process_batch, batch, model_name, run_id, ingested_at,
                                   **({"pure": False} if dask_client else {})) for batch in batches] if executor else []
        results = map(result_of, futures) if executor else map(stages.process_batch, batches, *arguments)
        try:
            for batch, (frames, rejected) in zip(batches, results):
                parts.append(frames)
                rejections.extend(rejected)
                bar.update(len(batch))
        except worker_died:
            get_run_logger().warning("an extraction worker died; extracting the %d remaining batch(es) here",
                                     len(batches) - len(parts))
            if dask_client:
                dask_client.cancel(futures[len(parts):])
            for frames, rejected in map(stages.process_batch, batches[len(parts):], *arguments):
                parts.append(frames)
                rejections.extend(rejected)
    return (concat_frames(parts) if parts else {}), rejections


@task(name="resolve-corpus", cache_policy=NO_CACHE)
def resolve_task(frames: Frames, window: DateWindow) -> tuple[Frames, list[Rejected]]:
    return stages.resolve_batch(frames, window)


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(frames: Frames, expectations_dir: Path, run_id: str, window: DateWindow, build_docs: bool):
    return run_validation(frames, expectations_dir, run_id, window, build_docs)


@task(name="load", cache_policy=NO_CACHE)
def load_task(settings: Settings, plan: LoadPlan) -> tuple[float, dict[str, int]]:
    """(seconds the load transaction took, row counts of the warehouse after it)."""
    seconds = load(settings.db_path, plan, wait_seconds=settings.db_wait_seconds, on_wait=notice,
                   pause_before_commit=settings.fault_pause_before_commit)
    return seconds, table_counts(settings.db_path)


@task(name="validation-report", cache_policy=NO_CACHE)
def report_task(db_path: Path) -> tuple[str | None, str | None]:
    """The warehouse's validation report, rendered from what the load committed: (URL, None) or (None, why not)."""
    return publish_validation_report(db_path)


def worker_count(documents: int, workers: int, docs_per_worker: int) -> int:
    """Worker processes worth starting for `documents`: at most `workers`, one per `docs_per_worker`
    documents (a one-file re-run extracts in the flow's own process, whose model is already loaded)."""
    return max(1, min(workers, documents // max(1, docs_per_worker)))


def _batches(items: list, size: int, workers: int = 1) -> list[list]:
    """Equal batches of at most `size` items, as many as a multiple of `workers`, so that every worker
    process gets the same share."""
    if not items:
        return []
    count = -(-len(items) // max(1, size))
    count = min(len(items), -(-count // max(1, workers)) * max(1, workers))
    per = -(-len(items) // count)
    return [items[i:i + per] for i in range(0, len(items), per)]


def _flow_run_id() -> str | None:
    return str(flow_run.id) if flow_run.id else None


def _run_name() -> str:
    return f"ingest-{flow_run.parameters.get('run_id') or 'adhoc'}"


@flow(name="ingest", flow_run_name=_run_name, log_prints=True, validate_parameters=False)
def ingest(settings: Settings, run_id: str) -> RunReport:
    """Bring the warehouse up to date with `settings.seeds_dir`: process new and changed files, retract
    removed ones, re-derive the cross-article tables, and write it all in one transaction. One writer
    at a time (`flows.lock`). A command that started the run has made its plan already and hands it over
    (`flows.incremental.handed_over`); a scheduled run plans here."""
    with WarehouseLock(settings.db_path, run_id, settings.lock_wait_seconds):
        return _ingest(settings, run_id)


class StageClock:
    """The one timing source of a run: seconds per stage, as `runs.stage_seconds` and the summary show;
    on a terminal, a line as each stage after extraction finishes (`flows.progress`)."""

    SHOWN = ("resolve", "validate")

    def __init__(self, progress: bool = False) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()
        self.progress = progress

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + now - self._last, 3)
        self._last = now
        if stage in self.SHOWN:
            stage_done(stage, self.seconds[stage], self.progress)

    def record(self, stage: str, seconds: float) -> None:
        """A stage timed where it ran (the plan, made before the flow when a command hands it over); the next
        lap starts now."""
        self.seconds[stage] = seconds
        self._last = time.perf_counter()


def _ingest(settings: Settings, run_id: str) -> RunReport:
    logger, started, clock = get_run_logger(), utcnow(), StageClock(settings.progress)
    planned = _handed_over(settings, run_id) or plan_task(settings)
    clock.record("discover", planned.seconds)
    plan, changes = planned.plan, planned.plan.changes
    logger.info("run %s: %d files (%d new, %d changed, %d unchanged, %d removed)", run_id, len(plan.scanned),
                len(changes.new), len(changes.changed), len(changes.unchanged), len(changes.removed))
    if changes.is_noop:
        return record_noop(settings, run_id, started, plan, flow_run_id=_flow_run_id(), timings=clock.seconds)
    workers = _start_up(settings, len(changes.to_process), clock)
    extraction = _extract_changed(settings, plan, run_id, workers)
    clock.lap("read_clean_extract")
    window = settings.date_window(started.date())
    frames, unresolved = resolve_task(extraction.frames, window) if extraction.frames["articles"].height else ({}, [])
    extraction = extraction.without(unresolved)
    clock.lap("resolve")
    outcome = _validate(settings, run_id, window, extraction.frames, frames)
    clock.lap("validate")
    report = _report(run_id, plan, extraction, outcome)
    plan.describe_scan(report, settings.seeds_dir)
    report.peak_rss_mb = peak_rss_mb()
    kept = _tables_to_write(settings, run_id, started, plan, extraction, outcome, report, clock.seconds)
    clock.seconds["load"], report.counts = load_task(settings, _load_plan(settings, plan, extraction, kept))
    stage_done("load", clock.seconds["load"], settings.progress)
    report.stage_seconds = clock.seconds
    return with_validation_report(report, report_task(settings.db_path))


def _handed_over(settings: Settings, run_id: str) -> Planned | None:
    """The plan the command that started this run made (`flows.incremental.handed_over`), or None (a
    scheduled run: it plans here). The warehouse is checked again: a reader may have opened it while Prefect
    started, and the run is refused now, in a second, rather than after its extraction."""
    planned = take_over(run_id)
    if planned is not None:
        check_writable(settings.db_path)
    return planned


def _start_up(settings: Settings, documents: int, clock: StageClock) -> int:
    """Fixed per-process costs, timed apart from the per-document stages (a long-lived `serve` process pays
    them once): the GX project (opened in the validation worker) and the spaCy model, loaded here only when
    this process extracts (worker processes load their own while they start). The number of local workers."""
    warm_up(settings.expectations_dir)
    clock.lap("startup_gx")
    workers = worker_count(documents, settings.workers, settings.docs_per_worker)
    if workers == 1 and settings.task_runner != DASK:
        stages.load_nlp(settings.spacy_model)
    clock.lap("startup_model")
    return workers


def _load_plan(settings: Settings, plan: RunPlan, extraction: "Extraction", kept: Frames) -> LoadPlan:
    """What the load writes, retracts and re-derives."""
    # A rebuild re-makes the article tables empty: nothing in them is retracted (nor read: they may not match)
    existing = [] if plan.rebuild else existing_article_ids(settings.db_path)
    return build_load_plan(kept, extraction.fresh, existing,
                           processed_ids={article_id_for(n) for n in plan.changes.to_process},
                           removed_ids={article_id_for(n) for n in plan.changes.removed},
                           reused_ids=extraction.reused_ids, rebuild=plan.rebuild)


@dataclass
class Extraction:
    frames: Frames  # every current article's extracted rows: this run's plus the reused staged ones
    fresh: Frames  # this run's extraction output only
    rejections: list[Rejected]
    reused_ids: list[str]  # unchanged loaded articles whose staged rows were reused

    def without(self, rejected: list[Rejected]) -> "Extraction":
        """The extraction less the articles of files rejected after it (by the corpus stage)."""
        if not rejected:
            return self
        names = {r.seed_name for r in rejected}
        ids = [aid for aid, name in self.frames["articles"].select("article_id", "seed_name").rows() if name in names]
        return Extraction(drop_articles(self.frames, ids), drop_articles(self.fresh, ids),
                          self.rejections + rejected, [i for i in self.reused_ids if i not in ids])


def _extract_changed(settings: Settings, plan: RunPlan, run_id: str, workers: int) -> Extraction:
    """Decode, clean and extract the new and changed files in batches; reuse the staged rows of the rest."""
    changes = plan.changes
    # Largest files first: the workers take batches in this order, so the last batches, where one worker
    # may wait for the other, are the cheapest. Row order does not depend on it (`order_by_articles`).
    to_process = sorted((plan.raw_files[name] for name in changes.to_process if name in plan.raw_files),
                        key=lambda raw: -raw.size_bytes)
    processing = set(changes.to_process)
    rejections = [s.rejected for s in plan.scanned if s.rejected and s.seed_name in processing]
    if settings.task_runner == DASK:
        # A local cluster gets `settings.workers` processes (one per core unless set), whatever the number of
        # documents: asking for Dask is asking for the cluster.
        with dask_client(settings.dask_address, settings.workers) as client:
            workers = worker_total(client)
            size = batch_size_shown(len(to_process), settings.batch_size, workers, settings.progress)
            fresh, rejected = extract_task(_batches(to_process, size, workers), settings.spacy_model,
                                           run_id, utcnow(), workers, settings.progress, dask_client=client)
    else:
        size = batch_size_shown(len(to_process), settings.batch_size, workers, settings.progress)
        fresh, rejected = extract_task(_batches(to_process, size, workers), settings.spacy_model,
                                       run_id, utcnow(), workers, settings.progress)
    rejections.extend(sorted(rejected, key=lambda rejection: rejection.seed_name))
    previous = {row["seed_name"]: row for row in plan.manifest.iter_rows(named=True)}
    # Unknown files (their folder could not be listed) stay as they were: their staged rows are reused too.
    kept_as_they_were = changes.unchanged + changes.unknown
    reused = [previous[name]["article_id"] for name in kept_as_they_were if previous[name]["status"] == "loaded"]
    staged = read_staged(settings.db_path, reused)
    order = [article_id_for(name) for name in seed_order([s.seed_name for s in plan.scanned], changes.unknown)]
    fresh = order_by_articles(fresh, order) if fresh else fresh
    frames = order_by_articles(concat_frames([staged, fresh]) if fresh else staged, order)
    return Extraction(frames, fresh, rejections, reused)


def _validate(settings: Settings, run_id: str, window: DateWindow, extracted: Frames, frames: Frames
              ) -> ValidationOutcome | None:
    """Validate the run's tables. Articles that fail must not shape the cross-article tables either:
    those are derived again from the trustworthy articles only, and validated again."""
    if not frames:
        return None
    outcome = validate_task(frames, settings.expectations_dir, run_id, window, settings.build_data_docs)
    if outcome.bad_articles:
        get_run_logger().warning("re-deriving corpus tables without %d quarantined article(s)",
                                 len(outcome.bad_articles))
        trusted = drop_articles(extracted, outcome.bad_articles)
        second = validate_task(resolve_task(trusted, window)[0], settings.expectations_dir, run_id, window,
                               settings.build_data_docs)
        outcome = merge_outcomes(outcome, second)
    return outcome


def _article_checks(extraction: Extraction, outcome: ValidationOutcome | None) -> dict[str, str]:
    """Why each file this run quarantined was quarantined: a file check, or its article failing validation."""
    checks = {r.seed_name: r.check for r in extraction.rejections}
    if outcome is not None:
        articles = outcome.quarantine.filter(pl.col("table_name") == "articles")
        checks.update(dict(articles.select("seed_name", "check_name").rows()))
    return checks


def _report(run_id: str, plan: RunPlan, extraction: Extraction, outcome: ValidationOutcome | None) -> RunReport:
    changes = plan.changes
    loaded = set(outcome.frames["articles"]["article_id"].to_list()) if outcome else set()
    report = RunReport(run_id, "completed", files_seen=len(plan.scanned), files_new=len(changes.new),
                       files_changed=len(changes.changed), files_unchanged=len(changes.unchanged),
                       files_removed=len(changes.removed),
                       documents_processed=sum(1 for name in changes.to_process if name in plan.raw_files))
    report.files_loaded = sum(1 for s in plan.scanned if article_id_for(s.seed_name) in loaded)
    report.files_quarantined = report.files_seen - report.files_loaded
    report.quarantined = [(r.seed_name, f"{r.check}: {r.reason}") for r in extraction.rejections]
    if outcome is not None:
        articles = outcome.quarantine.filter(pl.col("table_name") == "articles")
        report.quarantined += [(s, f"validation: {r}") for s, r in articles.select("seed_name", "reason").rows()]
        report.data_docs = outcome.data_docs
    return report


def _tables_to_write(settings: Settings, run_id: str, started: datetime, plan: RunPlan, extraction: Extraction,
                     outcome: ValidationOutcome | None, report: RunReport, timings: dict[str, float]) -> Frames:
    """The validated tables plus this run's quarantine, validation results, manifest and `runs` row."""
    kept = dict(outcome.frames) if outcome else {t.name: contract.empty_frame(t) for t in contract.TABLES
                                                  if t.write in {"article", "corpus"}}
    kept["quarantine"] = pl.concat([plan.folder_quarantine(run_id), file_quarantine(extraction.rejections, run_id, utcnow())]
                                   + ([outcome.quarantine] if outcome else []))
    report.rows_quarantined = kept["quarantine"].height
    kept["validation_results"] = contract.rows_to_frame(outcome.results if outcome else [],
                                                        contract.VALIDATION_RESULTS)
    loaded = set(kept["articles"]["article_id"].to_list())
    kept["manifest"] = contract.rows_to_frame(
        manifest_after(plan.scanned, plan.manifest, plan.changes, loaded, _article_checks(extraction, outcome),
                       plan.code_version, run_id), contract.MANIFEST)
    kept["runs"] = run_row(settings, run_id, started, plan.code_version, report, kept, timings, _flow_run_id())
    return kept


SCHEDULED_PREFIX = "scheduled-"


def _scheduled_name() -> str:
    """`scheduled-<run id>`: the run id is made here, with the name, so the scheduled flow run and the
    `ingest-<run id>` run inside it are found by the same id in the Prefect UI, in `runs` and in the report."""
    return SCHEDULED_PREFIX + new_run_id()


def one_line(report: RunReport) -> str:
    """A scheduled run in one terminal line."""
    return (f"newsetl: scheduled run {report.run_id}: {report.status}; new {report.files_new}, changed "
            f"{report.files_changed}, unchanged {report.files_unchanged}, removed {report.files_removed}; "
            f"documents processed {report.documents_processed}; articles in warehouse {report.counts.get('articles', 0)}")


@flow(name="ingest-scheduled", flow_run_name=_scheduled_name, validate_parameters=False)
def scheduled_ingest(seeds_dir: str, db_path: str) -> dict:
    """What `newsetl serve` schedules: one `ingest` run (a subflow, tagged like a CLI run) of the folder,
    with plain parameters, and one line on the terminal. A run that finds another one writing skips this
    turn instead of failing."""
    settings = Settings().with_overrides(seeds_dir=Path(seeds_dir), db_path=Path(db_path), progress=False)
    name = flow_run.name or ""
    run_id = name.removeprefix(SCHEDULED_PREFIX) if name.startswith(SCHEDULED_PREFIX) else new_run_id()
    try:
        with tags("newsetl", "scheduled"):
            report = ingest(settings=settings, run_id=run_id)
    except WarehouseBusy as busy:
        get_run_logger().warning("skipped: %s", busy)
        print(f"newsetl: scheduled run {run_id}: skipped ({busy})", flush=True)
        return {"run_id": run_id, "status": "skipped", "message": str(busy)}
    print(one_line(report), flush=True)
    return {"run_id": report.run_id, "status": report.status, "documents_processed": report.documents_processed}

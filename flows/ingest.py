"""The `ingest` Prefect flow: discover → read/decode → clean → extract → resolve → validate → load.

Tasks work on batches of documents (never one task per sentence or record). With no Prefect server
configured, Prefect starts its local ephemeral server; with `PREFECT_API_URL` set it reports there.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE as NO_CACHE
from prefect.runtime import flow_run

from flows import stages
from flows.settings import Settings
from flows.sources import SeedFile, discover
from flows.validate import ValidationOutcome, run_validation, warm_up
from transforms.article import article_id_for, stable_id
from transforms.corpus import derive_corpus
from transforms.extract import Frames, concat_frames
from warehouse import contract
from warehouse.loader import LoadPlan, load, table_counts


@dataclass
class RunReport:
    run_id: str
    status: str
    files_seen: int = 0
    files_loaded: int = 0
    files_quarantined: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (seed_name, reason)
    rows_quarantined: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    data_docs: str | None = None
    message: str | None = None


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@task(name="discover", cache_policy=NO_CACHE)
def discover_task(seeds_dir: Path) -> list[SeedFile]:
    return discover(seeds_dir)


@task(name="read-decode", cache_policy=NO_CACHE)
def read_task(seeds: list[SeedFile], seeds_dir: Path, max_bytes: int):
    return stages.read_batch(seeds, seeds_dir, max_bytes)


@task(name="clean", cache_policy=NO_CACHE)
def clean_task(read_result):
    files, rejected = read_result
    articles, clean_rejected = stages.clean_batch(files)
    return articles, rejected + clean_rejected


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(clean_result, model_name: str, run_id: str, ingested_at: datetime):
    articles, rejected = clean_result
    frames, extract_rejected = stages.extract_batch(articles, model_name, run_id, ingested_at)
    return frames, rejected + extract_rejected


@task(name="resolve-corpus", cache_policy=NO_CACHE)
def resolve_task(frames: Frames) -> Frames:
    return derive_corpus(frames)


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(frames: Frames, expectations_dir: Path, run_id: str, build_docs: bool):
    return run_validation(frames, expectations_dir, run_id, build_docs)


@task(name="load", cache_policy=NO_CACHE)
def load_task(db_path: Path, plan: LoadPlan) -> dict[str, int]:
    load(db_path, plan)
    return table_counts(db_path)


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), max(1, size))]


def _file_quarantine(rejections: list[stages.FileRejection], run_id: str) -> pl.DataFrame:
    now = _utcnow()
    rows = [{"quarantine_id": stable_id(run_id, "files", r.seed_name, r.check), "run_id": run_id,
             "table_name": "files", "record_key": r.seed_name, "seed_name": r.seed_name, "check_name": r.check,
             "reason": r.reason, "row_json": None, "quarantined_at": now} for r in rejections]
    return pl.DataFrame(rows, schema=contract.polars_schema(contract.QUARANTINE)) if rows \
        else contract.empty_frame(contract.QUARANTINE)


def _frame_of(rows: list[dict], table: contract.Table) -> pl.DataFrame:
    if not rows:
        return contract.empty_frame(table)
    return contract.conform(pl.DataFrame(rows, schema_overrides=contract.polars_schema(table)), table)


def drop_articles(frames: Frames, article_ids: list[str]) -> Frames:
    """The per-article frames without the given articles' rows."""
    return {name: frame.filter(~pl.col("article_id").is_in(article_ids)) if "article_id" in frame.columns else frame
            for name, frame in frames.items()}


def merge_outcomes(first: ValidationOutcome, second: ValidationOutcome) -> ValidationOutcome:
    """The re-derived tables of the second pass, with the quarantine and results of both."""
    quarantine = pl.concat([first.quarantine, second.quarantine]).unique("quarantine_id", keep="first",
                                                                         maintain_order=True)
    return ValidationOutcome(second.frames, quarantine,
                             first.results + [dict(r, result_id=r["result_id"] + "-rederived") for r in second.results],
                             second.data_docs or first.data_docs, first.bad_articles + second.bad_articles)


def _existing_article_ids(db_path: Path) -> list[str]:
    if not Path(db_path).exists():
        return []
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        return [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()] if "articles" in tables else []
    finally:
        con.close()


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    # disable=None: tqdm turns itself off when stderr is not a terminal (logs, CI)
    return tqdm(total=total, unit="doc", desc="extract", disable=None if enabled and total > 1 else True, leave=False)


def _run_name() -> str:
    return f"ingest-{flow_run.parameters.get('run_id') or 'adhoc'}"


@flow(name="ingest", flow_run_name=_run_name, log_prints=True, validate_parameters=False)
def ingest(settings: Settings, run_id: str) -> RunReport:
    """Ingest every file of `settings.seeds_dir` into the DuckDB warehouse in one transaction."""
    logger = get_run_logger()
    started = _utcnow()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(timings.get(stage, 0.0) + now - clock, 3)
        clock = now

    # Fixed per-process costs, timed apart from the per-document stages: opening the GX project and
    # loading the spaCy model (a long-lived `serve` process pays them once).
    warm_up(settings.expectations_dir)
    lap("startup_gx")
    stages.load_nlp(settings.spacy_model)
    lap("startup_model")
    seeds = discover_task(settings.seeds_dir)
    lap("discover")
    logger.info("run %s: %d files in %s", run_id, len(seeds), settings.seeds_dir)
    ingested_at = _utcnow()
    futures = []
    for batch in _batches(seeds, settings.batch_size):
        read = read_task.submit(batch, settings.seeds_dir, settings.max_file_bytes)
        cleaned = clean_task.submit(read)
        futures.append((len(batch), extract_task.submit(cleaned, settings.spacy_model, run_id, ingested_at)))
    parts: list[Frames] = []
    rejections: list[stages.FileRejection] = []
    with _progress(len(seeds), settings.progress) as bar:
        for size, future in futures:
            frames, rejected = future.result()
            parts.append(frames)
            rejections.extend(rejected)
            bar.update(size)
    lap("read_clean_extract")
    extracted = concat_frames(parts) if parts else {}
    frames = resolve_task(extracted) if extracted else extracted
    lap("resolve")
    outcome = validate_task(frames, settings.expectations_dir, run_id, settings.build_data_docs) if frames else None
    if outcome is not None and outcome.bad_articles:
        # Articles that failed validation must not shape the cross-article tables either: derive those
        # again from the trustworthy articles only, and validate the result.
        logger.warning("re-deriving corpus tables without %d quarantined article(s)", len(outcome.bad_articles))
        trusted = drop_articles(extracted, outcome.bad_articles)
        second = validate_task(resolve_task(trusted), settings.expectations_dir, run_id, settings.build_data_docs)
        outcome = merge_outcomes(outcome, second)
    lap("validate")
    kept = outcome.frames if outcome else {t.name: contract.empty_frame(t) for t in contract.TABLES
                                           if t.write in {"article", "corpus"}}
    loaded_ids = kept["articles"]["article_id"].to_list()
    failed_validation = {r for r in (outcome.quarantine.filter(pl.col("table_name") == "articles")["record_key"]
                                     .to_list() if outcome else [])}
    current_ids = {article_id_for(s.seed_name) for s in seeds}
    retract = sorted((set(_existing_article_ids(settings.db_path)) - set(loaded_ids))
                     | (current_ids & failed_validation))
    quarantine = pl.concat([_file_quarantine(rejections, run_id)] + ([outcome.quarantine] if outcome else []))
    report = RunReport(run_id, "completed", files_seen=len(seeds), files_loaded=len(loaded_ids),
                       files_quarantined=len(seeds) - len(loaded_ids),
                       quarantined=[(r.seed_name, f"{r.check}: {r.reason}") for r in rejections],
                       rows_quarantined=quarantine.height, data_docs=outcome.data_docs if outcome else None)
    article_rows = outcome.quarantine.filter(pl.col("table_name") == "articles") if outcome else None
    if article_rows is not None:
        report.quarantined += [(s, f"validation: {r}") for s, r in article_rows.select("seed_name", "reason").rows()]
    kept = dict(kept)
    kept["quarantine"] = quarantine
    kept["validation_results"] = _frame_of(outcome.results if outcome else [], contract.VALIDATION_RESULTS)
    kept["runs"] = contract.conform(pl.DataFrame([{
        "run_id": run_id, "started_at": started, "finished_at": _utcnow(), "status": "completed",
        "seeds_dir": str(settings.seeds_dir), "code_version": stages.code_version(settings.spacy_model),
        "prefect_flow_run_id": str(flow_run.id) if flow_run.id else None,
        "files_seen": report.files_seen, "files_loaded": report.files_loaded,
        "files_quarantined": report.files_quarantined, "articles": len(loaded_ids),
        "entities": kept.get("entities", pl.DataFrame()).height, "mentions": kept.get("entity_mentions", pl.DataFrame()).height,
        "quotes": kept.get("quotes", pl.DataFrame()).height, "events": kept.get("events", pl.DataFrame()).height,
        "stage_seconds": json.dumps(timings),
    }]), contract.RUNS)
    plan = LoadPlan(frames=kept, replace_article_ids=loaded_ids, retract_article_ids=retract)
    report.counts = load_task(settings.db_path, plan)
    lap("load")
    report.stage_seconds = timings
    return report

"""What a run has to do, decided before anything heavy starts, and the record of a run that had nothing
to do. No Prefect here: a command plans once (`plan_checked`), settles a no-op run in about a second without
starting Prefect, the validation worker or spaCy, and hands its plan to the flow it starts otherwise
(`handed_over`); a scheduled run (inside `serve`) plans in the flow through the same functions.
"""

from __future__ import annotations

import json
import logging
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from flows.progress import notice
from flows.settings import Settings
from flows.sources import Discovery, RawFile, SeedsUnreadable, discover, running_code_version, scan_files
from expectations.validate import file_quarantine
from transforms.article import Rejected, article_id_for
from transforms.manifest import Changes, Scanned, manifest_after, plan_changes, under
import contract
from warehouse.drift import Drift, SchemaDrift
from warehouse.loader import LoadPlan, WarehouseInUse, check_schema, check_writable, load, table_counts
from warehouse.output_folder import OutputRefused
from reports.validation_report_writer import write_validation_report
from warehouse.state import last_seeds_dir, read_manifest

log = logging.getLogger(__name__)
# An interrupted run records itself; a reader holding the warehouse is waited for only this long: the user
# who pressed Ctrl-C expects the run to stop within seconds.
INTERRUPTED_DB_WAIT_SECONDS = 3.0


@dataclass
class RunReport:
    run_id: str
    status: str
    files_seen: int = 0
    files_loaded: int = 0
    files_quarantined: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    files_unknown: int = 0  # known files under folders the scan could not list: kept as they were
    documents_processed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # entries the scan left out by design, by kind
    unreadable_folders: list[tuple[str, str]] = field(default_factory=list)  # (folder, the OS's reason)
    counts: dict[str, int] = field(default_factory=dict)
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (seed_name, reason)
    rows_quarantined: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: int = 0
    data_docs: str | None = None  # GX's own Data Docs site, when built (NEWSETL_DATA_DOCS=1)
    validation_report: str | None = None  # file:// URL of the warehouse's validation report
    message: str | None = None
    notices: list[str] = field(default_factory=list)  # things the user should know (a changed seeds folder)


@dataclass
class RunPlan:
    scanned: list[Scanned]
    raw_files: dict[str, RawFile]  # bytes of the files whose hash differs from the manifest's
    manifest: pl.DataFrame
    changes: Changes
    code_version: str
    previous_seeds_dir: str | None = None  # the folder the warehouse's last run read
    schema: Drift = field(default_factory=Drift)  # how the warehouse differs from the contract (lossless only)
    rebuild: bool = False  # `newsetl run --rebuild`: derived tables re-made, every file processed
    discovery: Discovery = field(default_factory=Discovery)  # what the scan left out or could not list

    def notices(self, seeds_dir: Path) -> list[str]:
        notes = self.schema.notices()
        if self.previous_seeds_dir and self.previous_seeds_dir != str(Path(seeds_dir).resolve()):
            notes.append(f"seeds folder changed: the last run read {self.previous_seeds_dir}")
        for folder in self.discovery.unreadable:
            known = sum(1 for name in self.changes.unknown if under(name, [folder.folder]))
            notes.append(f"could not list {folder.folder}/ in the seeds folder ({folder.reason}): its {known} known "
                         "file(s) are kept as they were, not retracted (see `quarantine`, check unreadable_folder)")
        return notes

    def describe_scan(self, report: "RunReport", seeds_dir: Path) -> None:
        """What the scan left out, could not list or kept unseen, and the notices, into the run's report."""
        report.skipped = dict(self.discovery.skipped)
        report.unreadable_folders = [(u.folder, u.reason) for u in self.discovery.unreadable]
        report.files_unknown = len(self.changes.unknown)
        report.notices = self.notices(seeds_dir)

    def folder_quarantine(self, run_id: str) -> pl.DataFrame:
        """A `quarantine` row per folder the scan could not list (check `unreadable_folder`)."""
        return file_quarantine([Rejected(UNREADABLE_FOLDER, f"folder could not be listed: {u.reason}; its files "
                                         "known to the warehouse are kept as they were", f"{u.folder}/")
                                for u in self.discovery.unreadable], run_id, utcnow())


UNREADABLE_FOLDER = "unreadable_folder"  # the quarantine check of a seeds subfolder that could not be listed


class MassRemovalRefused(RuntimeError):
    """The run would retract most (or all) of the warehouse's articles; refused unless allowed."""


def check_removals(plan: RunPlan, settings: Settings) -> None:
    """Refuse a run that would retract all of the warehouse's articles, or more than
    `settings.mass_removal_share` of them, unless `settings.allow_mass_removal`: a mistyped or empty
    --seeds folder looks exactly like every file having been deleted."""
    loaded = set(plan.manifest.filter(pl.col("status") == "loaded")["seed_name"].to_list())
    retracted = loaded & set(plan.changes.removed)
    if settings.allow_mass_removal or not retracted:
        return
    if len(retracted) == len(loaded) or len(retracted) > settings.mass_removal_share * len(loaded):
        raise MassRemovalRefused(
            f"this run would retract {len(retracted)} of the warehouse's {len(loaded)} articles: "
            f"{settings.seeds_dir} has {len(plan.scanned)} file(s)"
            + (f", the last run read {plan.previous_seeds_dir}" if plan.previous_seeds_dir else "")
            + ". Nothing was changed. Check --seeds, or pass --allow-mass-removal to retract them.")


def peak_rss_mb() -> int:
    """Largest resident set so far of this process or of any finished child (extraction workers), in MB."""
    kilobytes = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return round(kilobytes / 1024)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def plan_run(settings: Settings) -> RunPlan:
    """Check the warehouse's schema first (`SchemaDrift` stops the run here, before any work), then find and
    hash every input file and compare with the manifest: new, changed, unchanged, removed. Every file is
    processed again when the code changed, when the schema check added something derived rows lack (a
    column, a table), and on a rebuild."""
    version = running_code_version(settings.spacy_model)
    schema = check_schema(settings.db_path, rebuild=settings.rebuild)
    # On a rebuild, tables that do not match the contract are not read: their rows are re-made anyway.
    manifest = read_manifest(settings.db_path) if "manifest" not in schema.mismatched \
        else contract.empty_frame(contract.MANIFEST)
    previous_seeds_dir = last_seeds_dir(settings.db_path) if "runs" not in schema.mismatched else None
    known = dict(zip(manifest["seed_name"].to_list(), manifest["content_sha256"].to_list()))
    everything = settings.rebuild or schema.reprocess \
        or bool(manifest.height and set(manifest["code_version"].to_list()) != {version})
    if everything:
        known = {}  # every file is processed again
    found = discover(settings.seeds_dir, settings.outputs())
    if settings.rebuild and found.unreadable:
        raise SeedsUnreadable(
            "--rebuild processes every file again, but " + ", ".join(f"{u.folder}/ ({u.reason})" for u in found.unreadable)
            + f" in {settings.seeds_dir} cannot be listed: nothing was changed; make it readable (or move it out) first")
    scanned, raw_files = scan_files(found.files, settings.seeds_dir, settings.max_file_bytes, known)
    # A file is "changed" when its manifest row names another code version: on a rebuild or after a schema
    # change, compare with a manifest naming none, so every known file is processed (new files stay new).
    compared = manifest.with_columns(pl.lit(None, dtype=pl.String).alias("code_version")) if everything else manifest
    changes = plan_changes(scanned, compared, version, [u.folder for u in found.unreadable])
    return RunPlan(scanned, raw_files, manifest, changes, version, previous_seeds_dir, schema, settings.rebuild, found)


@dataclass(frozen=True)
class Planned:
    """A run's plan, checked, and the seconds it took to make: the run's `discover` stage."""
    plan: RunPlan
    seconds: float


def plan_checked(settings: Settings) -> Planned:
    """The pre-flight checks and the plan, in the order a run needs them: the warehouse writable and not held
    open (`check_writable`), the plan (`plan_run`: the schema compared with the contract, every file found,
    read and hashed), and no mass removal unless allowed (`check_removals`). About a second; made once per run."""
    clock = time.perf_counter()
    check_writable(settings.db_path)
    plan = plan_run(settings)
    check_removals(plan, settings)
    return Planned(plan, round(time.perf_counter() - clock, 3))


# Plans a command made for the `ingest` flow run it starts, by run id (`handed_over`, `take_over`).
_HANDED_OVER: dict[str, Planned] = {}


@contextmanager
def handed_over(run_id: str, planned: Planned) -> Iterator[None]:
    """Within the block, the `ingest` flow run of `run_id` takes `planned` (`take_over`) instead of planning
    again: the command has planned already, to settle a no-op run without Prefect. Not a flow parameter:
    Prefect 3 sends parameters to its API as JSON (`Flow.serialize_parameters`), and a plan holds the bytes of
    every changed file and polars frames. A flow called from Python runs in the caller's process, so a
    registry keyed by run id is all the hand-off needs. The entry goes when the block ends, taken or not."""
    _HANDED_OVER[run_id] = planned
    try:
        yield
    finally:
        _HANDED_OVER.pop(run_id, None)


def take_over(run_id: str) -> Planned | None:
    """The plan handed over for `run_id` (`handed_over`), or None: the flow then plans itself."""
    return _HANDED_OVER.pop(run_id, None)


def run_row(settings: Settings, run_id: str, started: datetime, code_version: str, report: RunReport,
            tables: dict[str, pl.DataFrame], timings: dict[str, float], flow_run_id: str | None) -> pl.DataFrame:
    """The `runs` row of a run."""
    def count(name: str) -> int:
        return tables[name].height if name in tables else report.counts.get(name, 0)

    return contract.rows_to_frame([{
        "run_id": run_id, "started_at": started, "finished_at": utcnow(), "status": report.status,
        "seeds_dir": str(Path(settings.seeds_dir).resolve()), "code_version": code_version, "prefect_flow_run_id": flow_run_id,
        "files_seen": report.files_seen, "files_new": report.files_new, "files_changed": report.files_changed,
        "files_unchanged": report.files_unchanged, "files_removed": report.files_removed,
        "documents_processed": report.documents_processed, "files_loaded": report.files_loaded,
        "files_quarantined": report.files_quarantined, "articles": count("articles"),
        "entities": count("entities"), "mentions": count("entity_mentions"), "quotes": count("quotes"),
        "events": count("events"), "stage_seconds": json.dumps(timings), "peak_rss_mb": report.peak_rss_mb,
        "entries_skipped": sum(report.skipped.values()) if report.skipped else None,  # None: the run did not scan
    }], contract.RUNS)


def record_noop(settings: Settings, run_id: str, started: datetime, plan: RunPlan, flow_run_id: str | None = None,
                timings: dict[str, float] | None = None) -> RunReport:
    """Nothing changed: write the run's `runs` row and refresh the manifest's `seen_run`; nothing else."""
    timings = dict(timings or {})
    loaded = set(plan.manifest.filter(pl.col("status") == "loaded")["article_id"].to_list())
    report = RunReport(run_id, "noop", files_seen=len(plan.scanned), files_unchanged=len(plan.changes.unchanged))
    report.files_loaded = sum(1 for s in plan.scanned if article_id_for(s.seed_name) in loaded)
    report.files_quarantined = report.files_seen - report.files_loaded
    plan.describe_scan(report, settings.seeds_dir)
    report.peak_rss_mb = peak_rss_mb()
    frames = {"manifest": contract.rows_to_frame(manifest_after(plan.scanned, plan.manifest, plan.changes, loaded, {},
                                                  plan.code_version, run_id), contract.MANIFEST)}
    frames["runs"] = run_row(settings, run_id, started, plan.code_version, report, {}, timings, flow_run_id)
    if plan.discovery.unreadable:
        frames["quarantine"] = plan.folder_quarantine(run_id)
        report.rows_quarantined = frames["quarantine"].height
    timings["load"] = load(settings.db_path, LoadPlan(frames=frames, rebuild=plan.rebuild),
                           wait_seconds=settings.db_wait_seconds, on_wait=notice)
    report.counts = table_counts(settings.db_path)  # after the load: a new warehouse exists only now
    report.stage_seconds = timings
    return with_validation_report(report, publish_validation_report(settings.db_path))


def record_interrupted(settings: Settings, run_id: str, started: datetime, timings: dict[str, float]) -> RunReport:
    """A run stopped by SIGINT/SIGTERM before its load committed: only its `runs` row is written (status
    `interrupted`, the warehouse's counts as they stand), so the stop is on record and nothing else moves."""
    report = RunReport(run_id, "interrupted", stage_seconds=dict(timings))
    report.counts = table_counts(settings.db_path)
    frames = {"runs": run_row(settings, run_id, started, running_code_version(settings.spacy_model), report, {}, timings,
                               None)}
    try:
        load(settings.db_path, LoadPlan(frames=frames, rebuild_corpus=False),
             wait_seconds=min(settings.db_wait_seconds, INTERRUPTED_DB_WAIT_SECONDS), on_wait=notice)
    except SchemaDrift:  # a rebuild interrupted before its load: the warehouse keeps the drift it was to fix
        log.warning("the interrupted run %s is not recorded in `runs`: the warehouse's schema does not match "
                    "the contract (run `newsetl run --rebuild`)", run_id)
    except WarehouseInUse as busy:
        log.warning("the interrupted run %s is not recorded in `runs`: %s", run_id, busy)
    return with_validation_report(report, publish_validation_report(settings.db_path))


def publish_validation_report(db_path: Path) -> tuple[str | None, str | None]:
    """Rewrite the warehouse's validation report from what the load committed: (its index page's URL, None),
    or (None, a notice saying why not). A report that cannot be written (a full disk, a file where its
    folder should be) fails nothing: the run's rows are committed by then; the summary says so instead of
    giving the report's path."""
    try:
        return write_validation_report(db_path).as_uri(), None
    except OutputRefused as refused:  # a link in its folder: the message says which
        return None, f"validation report not written: {refused}"
    except Exception as exc:  # noqa: BLE001 - a report failure must not fail a loaded run
        log.debug("writing the validation report of %s failed", db_path, exc_info=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).split("\n")[0]
        where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
        return None, f"validation report not written: {type(exc).__name__}: {reason}{where}"


def with_validation_report(report: RunReport, published: tuple[str | None, str | None]) -> RunReport:
    """`report` with the outcome of `publish_validation_report`: the report's URL, or the notice why not."""
    report.validation_report, failed = published
    if failed:
        report.notices.append(failed)
    return report

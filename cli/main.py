"""`newsetl` command line: one module per command, each with its own parser (`add_parser`) and its
`cmd_*` function; this module assembles them and runs the one asked for.

Commands: `run` (`cli.run`), `watch` (`cli.watch`), `serve` (`cli.serve`) run the ingest flow (`flows.run`,
`flows.watch`, `flows.serve`); `status`, `sql`, `report`, `export` read the warehouse. Exit codes: 0 done
(a run completed, even with files quarantined), 1 could not (one line says why), 2 bad usage or a bad
NEWSETL_* variable, 3 another run is writing, 130 interrupted. Every command module is light to import, so
`--help` and `--version` answer at once; each command imports what its work needs when it runs.
"""

from __future__ import annotations

import argparse
import sys

from cli import export, report, run, serve, sql, status, watch
from cli.common import EXIT_INTERRUPTED, EXIT_USAGE, VersionAction
from flows.settings import SettingsInvalid

COMMANDS = (run, watch, serve, status, sql, report, export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl", allow_abbrev=False,
                                     description="News ETL: raw articles -> DuckDB warehouse. "
                                     "Run `newsetl COMMAND --help` for what a command does.")
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    for command_parser in commands.choices.values():  # `--seed` must not be taken for `--seeds`, nor `--lim` for `--limit`
        command_parser.allow_abbrev = False
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `newsetl`: say what it can do
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except SettingsInvalid as invalid:  # a bad NEWSETL_* variable: one line, before anything runs
        print(f"newsetl: {invalid}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C anywhere a command does not handle it itself: one line, no traceback
        print(f"newsetl: {args.command} interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())

"""`newsetl sql`: SQL on the warehouse, read-only and sealed: `-c` (or `-f`, a file such as the query pack's)
runs statements and exits, else the interactive shell (`cli.sql_shell`)."""

from __future__ import annotations

import argparse

from cli.common import Number, db_argument, default_db, path, refuse, until_the_reader_stops

# What `newsetl sql --help` says (argparse reflows it).
DESCRIPTION = """
Query the warehouse with DuckDB SQL, read-only and sealed: no statement can read or write a file other than
the warehouse (COPY, EXPORT, ATTACH, read_csv, read_text, INSTALL/LOAD and the settings that would allow them
are refused; temporary tables live in memory). With -c, run the statement(s), print each result as a table and
exit (1 on an SQL error). Without -c, a shell: statements end with ';', .tables lists tables and views,
.schema NAME shows columns, .quit or Ctrl-D leaves; statements are read from stdin when it is not a terminal.
Runs cannot load while the shell is open."""


def add_parser(commands) -> None:
    sql = commands.add_parser(
        "sql", help="query the warehouse with SQL (read-only shell, or -c \"SQL\")", description=DESCRIPTION)
    db_argument(sql)
    given = sql.add_mutually_exclusive_group()
    given.add_argument("-c", dest="command_sql", default=None, metavar="SQL", help="statement(s) to run, then exit")
    given.add_argument("-f", dest="sql_file", type=path, default=None, metavar="FILE",
                       help="run the statement(s) in FILE, then exit (e.g. warehouse/queries/timeline.sql)")
    sql.add_argument("--max-rows", type=Number(int, 0), default=1000, metavar="N",
                     help="rows printed per result (default 1000; 0: all); the row count is always given")
    sql.add_argument("--max-width", type=Number(int, 0), default=80, metavar="CHARS",
                     help="characters shown per cell (default 80; 0: no limit)")
    sql.set_defaults(func=cmd_sql)


@until_the_reader_stops
def cmd_sql(args: argparse.Namespace) -> int:
    """SQL on the warehouse, read-only: `-c` (or `-f`) runs statements and exits, else an interactive shell."""
    from cli.sql_shell import run_command, start_shell  # deferred: DuckDB, which `--help` does without

    db = args.db or default_db()
    if args.sql_file is not None:
        try:
            args.command_sql = args.sql_file.read_text(encoding="utf-8")
        except OSError as exc:
            return refuse(f"cannot read {args.sql_file}: {exc.strerror or exc}")
        except UnicodeDecodeError as exc:
            return refuse(f"cannot read {args.sql_file}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    if args.command_sql is not None:
        return run_command(db, args.command_sql, args.max_rows, args.max_width)
    return start_shell(db, args.max_rows, args.max_width)

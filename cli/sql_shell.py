"""`newsetl sql`: SQL on the warehouse for analysts, through the installed `duckdb` Python package.

The duckdb package ships no shell, and the DuckDB CLI has to match the file's storage version (the PyPI
CLI 1.5 cannot read a file written by DuckDB 2.0), so this is the shell that always fits the warehouse.
It opens the file read-only and sealed (`cli.readonly.seal`): its statements cannot change the warehouse
nor read or write any other file (temporary tables live in memory), and runs can load again once it exits.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import duckdb

from cli.readonly import WarehouseUnreadable, damaged, first_line, is_damage, open_read_only
from cli.text_table import text_table

DEFAULT_MAX_ROWS = 1000
DEFAULT_MAX_WIDTH = 80
FETCH_CHUNK = 10_000
# Statements whose result is only a count or "Success": they print nothing, as in DuckDB's own shell.
_SILENT = {duckdb.StatementType.CREATE, duckdb.StatementType.DROP, duckdb.StatementType.SET,
           duckdb.StatementType.VARIABLE_SET, duckdb.StatementType.TRANSACTION, duckdb.StatementType.ALTER,
           duckdb.StatementType.ATTACH, duckdb.StatementType.DETACH, duckdb.StatementType.LOAD,
           duckdb.StatementType.CREATE_FUNC, duckdb.StatementType.PREPARE, duckdb.StatementType.INSERT,
           duckdb.StatementType.UPDATE, duckdb.StatementType.DELETE, duckdb.StatementType.COPY,
           duckdb.StatementType.EXPORT, duckdb.StatementType.EXTENSION, duckdb.StatementType.VACUUM}
# Said after DuckDB's own reason when a statement reached past the warehouse (`cli.readonly.seal`).
SEALED = "(newsetl sql reads the warehouse and nothing else, and writes no file)"
HELP = """Statements end with ';' and may span lines. Commands:
  .tables          tables and views, with what each holds
  .schema NAME     the columns of a table or view, with their types and meaning
  .help            this text
  .quit            leave (or Ctrl-D)"""


def _utf8(sql: str) -> str:
    """`sql` if it is text DuckDB can take. Bytes that are not UTF-8 (in a file piped in, or in `-c` on a
    terminal whose locale is not UTF-8) reach Python as lone surrogates, which DuckDB's parser refuses with
    a TypeError; say it as an SQL error instead."""
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError as error:
        raise duckdb.InvalidInputException(f"the statement is not UTF-8 text (a byte "
                                           f"{ord(sql[error.start]) & 0xFF:#04x} at character {error.start})") from None
    return sql


def is_sealed_refusal(error: duckdb.Error) -> bool:
    """A statement refused by the seal: a file it may not touch, or a setting it may not change."""
    return isinstance(error, duckdb.PermissionException) or "the configuration has been locked" in str(error)


def explain(error: duckdb.Error) -> str:
    """DuckDB's reason in one line, with why when the seal refused the statement."""
    return f"{first_line(error)} {SEALED}" if is_sealed_refusal(error) else first_line(error)


class Shell:
    """One read-only connection and where to print. `max_rows` caps the rows printed per result (the
    count is always given), `max_width` the characters per cell (0: no cap)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, out: TextIO, err: TextIO,
                 max_rows: int = DEFAULT_MAX_ROWS, max_width: int = DEFAULT_MAX_WIDTH) -> None:
        self.con, self.out, self.err = con, out, err
        self.max_rows, self.max_width = max_rows, max_width

    def execute(self, sql: str) -> None:
        """Run every statement of `sql` in order, printing each result; the first error stops the rest.
        The whole text is parsed first, so a syntax error anywhere runs nothing."""
        for statement in duckdb.extract_statements(_utf8(sql)):
            cursor = self.con.execute(statement)
            if statement.type == duckdb.StatementType.EXPLAIN:
                for _, plan in cursor.fetchall():
                    print(plan.rstrip("\n"), file=self.out)
            elif statement.type not in _SILENT and cursor.description is not None:
                self._print_result(cursor)

    def _print_result(self, cursor: duckdb.DuckDBPyConnection) -> None:
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchmany(self.max_rows) if self.max_rows else cursor.fetchall()
        total = len(rows)
        if self.max_rows and total == self.max_rows:
            while chunk := cursor.fetchmany(FETCH_CHUNK):  # counted, not kept
                total += len(chunk)
        print(text_table(columns, rows, self.max_width), file=self.out)
        if total > len(rows):
            print(f"({total} rows; the first {len(rows)} shown: add LIMIT, or --max-rows)", file=self.out)
        else:
            print(f"({total} row{'' if total == 1 else 's'})", file=self.out)

    def tables(self) -> None:
        """`.tables`: every table and view with the description the warehouse stores for it."""
        self._print_result(self.con.execute("""
            SELECT CASE WHEN database_name = 'temp' THEN 'temp.' ELSE '' END
                   || CASE WHEN schema_name = 'main' THEN '' ELSE schema_name || '.' END || name AS name,
                   kind, coalesce(comment, '') AS description
            FROM (SELECT database_name, schema_name, table_name AS name, 'table' AS kind, comment
                  FROM duckdb_tables() WHERE NOT internal
                  UNION ALL
                  SELECT database_name, schema_name, view_name, 'view', comment
                  FROM duckdb_views() WHERE NOT internal)
            WHERE database_name IN (current_database(), 'temp')
            ORDER BY database_name = 'temp', schema_name <> 'main', schema_name, kind, name"""))

    def schema(self, name: str) -> None:
        """`.schema NAME`: the columns of a table or view of the warehouse (`schema.name` outside `main`)."""
        schema, _, table = name.rpartition(".")
        schema = schema or "main"
        found = self.con.execute("""
            SELECT 'table', comment FROM duckdb_tables()
            WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
            UNION ALL SELECT 'view', comment FROM duckdb_views()
            WHERE database_name = current_database() AND schema_name = ? AND view_name = ?""",
                                 [schema, table, schema, table]).fetchall()
        if not found:
            print(f"no table or view named {name} (.tables lists them)", file=self.err)
            return
        kind, comment = found[0]
        print(f"{name} ({kind}){': ' + comment if comment else ''}", file=self.out)
        self._print_result(self.con.execute("""
            SELECT column_name AS "column", data_type AS type, CASE WHEN is_nullable THEN '' ELSE 'NOT NULL' END
                   AS "null", coalesce(comment, '') AS description
            FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
            ORDER BY column_index""",
                                            [schema, table]))


def run_command(db_path: Path, sql: str, max_rows: int = DEFAULT_MAX_ROWS, max_width: int = DEFAULT_MAX_WIDTH,
                out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`newsetl sql -c SQL`: run the statement(s) and print the results; 1 with a one-line error."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        con = open_read_only(db_path)
    except WarehouseUnreadable as reason:
        print(f"newsetl: {reason}", file=err)
        return 1
    try:
        Shell(con, out, err, max_rows, max_width).execute(sql)
        return 0
    except duckdb.Error as error:
        print(f"newsetl: {damaged(db_path, error) if is_damage(error) else explain(error)}", file=err)
        return 1
    finally:
        con.close()


def _reader(stream: TextIO, interactive: bool):
    """A `read(prompt)` giving the next line without its newline, None at end of input. On a terminal it
    is `input()`, with line editing and history when `readline` is available."""
    if interactive:
        try:
            import readline  # noqa: F401 - importing it gives input() line editing
        except ImportError:
            pass

        def read(prompt: str) -> str | None:
            try:
                return input(prompt)
            except EOFError:
                print(file=sys.stdout)
                return None
        return read

    def read_stream(prompt: str) -> str | None:
        line = stream.readline()
        return line.rstrip("\n") if line else None
    return read_stream


def repl(shell: Shell, stdin: TextIO, interactive: bool) -> int:
    """Read statements until `;` and run them; dot commands at the start of a statement. Ends at `.quit`
    or end of input (a last statement without `;` is run too). Returns 1 when reading a script (not a
    terminal) and a statement failed, else 0."""
    read = _reader(stdin, interactive)
    buffer: list[str] = []
    failed = False
    while True:
        try:
            line = read("newsetl> " if not buffer else "    ...> ")
        except KeyboardInterrupt:  # Ctrl-C on a terminal drops the statement being typed
            print("^C", file=shell.out)
            buffer = []
            continue
        except UnicodeDecodeError as error:
            print(f"newsetl: the statements read are not UTF-8 text ({error.reason} at byte {error.start} of a "
                  "line)", file=shell.err)
            return 1
        if line is None:
            break
        if not buffer and line.strip().startswith("."):
            if not _dot_command(shell, line.strip()):
                return 0
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            failed |= not _run(shell, "\n".join(buffer))
            buffer = []
    if "".join(buffer).strip():
        failed |= not _run(shell, "\n".join(buffer))
    return 1 if failed and not interactive else 0


def _run(shell: Shell, sql: str) -> bool:
    """Run one entry of the shell; an error is printed in full (with DuckDB's pointer to where)."""
    try:
        shell.execute(sql)
        return True
    except duckdb.Error as error:
        print(f"Error: {error}{' ' + SEALED if is_sealed_refusal(error) else ''}", file=shell.err)
        return False
    except KeyboardInterrupt:
        shell.con.interrupt()
        print("interrupted", file=shell.err)
        return False
    except RuntimeError as error:  # Ctrl-C inside DuckDB: it stops the query and raises this
        if "interrupted" not in str(error).lower():
            raise
        print("interrupted", file=shell.err)
        return False


def _dot_command(shell: Shell, line: str) -> bool:
    """Run a `.command`; False when it asks to leave."""
    command, _, argument = line.partition(" ")
    if command in {".quit", ".exit", ".q"}:
        return False
    if command == ".tables":
        shell.tables()
    elif command == ".schema" and argument.strip():
        shell.schema(argument.strip().rstrip(";"))
    elif command == ".help":
        print(HELP, file=shell.out)
    else:
        print(f"unknown command {line!r} (.help lists them)", file=shell.err)
    return True


def start_shell(db_path: Path, max_rows: int = DEFAULT_MAX_ROWS, max_width: int = DEFAULT_MAX_WIDTH,
                stdin: TextIO | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`newsetl sql`: the interactive shell on a terminal; statements from stdin otherwise."""
    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    try:
        con = open_read_only(db_path)
    except WarehouseUnreadable as reason:
        print(f"newsetl: {reason}", file=err)
        return 1
    interactive = stdin is sys.stdin and stdin.isatty()
    if interactive:
        print(f"newsetl sql on {db_path} (read-only, no other file readable or writable; runs cannot load while "
              f"this is open)\n{HELP}", file=out)
    try:
        return repl(Shell(con, out, err, max_rows, max_width), stdin, interactive)
    finally:
        con.close()

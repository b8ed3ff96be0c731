"""The warehouse opened for reading by `newsetl status` and `newsetl sql`: read-only, at once, or a
one-line reason why not.

Read-only, because DuckDB lets one process write or several read: a reader never blocks the next run for
longer than its session, and cannot change the warehouse by mistake. At once, because a run holds the
file only while it loads: a reader that finds it held says so instead of waiting silently.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from flows.lock import holder


class WarehouseUnreadable(RuntimeError):
    """The warehouse cannot be opened for reading; the message says why in one line."""


def first_line(error: BaseException) -> str:
    """DuckDB's message without the query excerpt and caret it adds below (`LINE 1: ...`)."""
    return " ".join(str(error).split("\n\nLINE ")[0].split())


def _writer(db_path: Path, error: duckdb.Error) -> str:
    """Who holds the file: the newsetl run named in its lock file when the PIDs agree, else the PID."""
    pid = re.search(r"PID (\d+)", str(error))
    if pid is None:
        return "another process"
    running = holder(db_path)
    if str(running.get("pid")) == pid.group(1) and running.get("run_id"):
        return f"run {running['run_id']} (PID {pid.group(1)})"
    return f"another process (PID {pid.group(1)})"


def open_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(db_path).is_file():
        raise WarehouseUnreadable(f"no warehouse at {db_path} (`newsetl run` creates it)")
    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseUnreadable(f"{db_path} is being written by {_writer(Path(db_path), exc)}; try again "
                                      f"when it has finished") from None
        raise WarehouseUnreadable(f"cannot open {db_path}: {first_line(exc)}") from None
    except duckdb.Error as exc:
        raise WarehouseUnreadable(f"cannot open {db_path}: {first_line(exc)}") from None


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                       "AND schema_name = 'main' AND table_name = ?", [name]).fetchone()[0] > 0

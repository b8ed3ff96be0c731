"""The warehouse opened for reading by `newsetl status`, `sql`, `report` and `export`: read-only, sealed,
at once, or a one-line reason why not.

Read-only, because DuckDB lets one process write or several read: a reader never blocks the next run for
longer than its session, and cannot change the warehouse by mistake. Sealed, because read-only covers only
the warehouse itself: DuckDB SQL can otherwise write any file (`COPY ... TO`, `EXPORT DATABASE`), read any
file (`read_text`, `read_csv`, `glob`), attach other databases and load extensions. A sealed connection
turns external access off, then the local file system too (external access off still lets SQL write the
warehouse's `.wal` beside it), keeps temporary data in memory (no `.tmp` spill folder beside the warehouse)
and locks its configuration, so no statement can undo any of this. `export` alone may write, and only
inside its own folder. At once, because a run holds the file only while it loads: a reader that finds it
held says so instead of waiting silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from flows.lock import holder

# Applied when the warehouse is opened: no spilling to `<warehouse>.tmp/` (DuckDB's default for a file).
OPEN_CONFIG = {"temp_directory": ""}


class WarehouseUnreadable(RuntimeError):
    """The warehouse cannot be opened or read; the message says why in one line."""


def first_line(error: BaseException) -> str:
    """DuckDB's message without the query excerpt and caret it adds below (`LINE 1: ...`)."""
    return " ".join(str(error).split("\n\nLINE ")[0].split())


# What DuckDB says of a damaged database file: a block whose checksum does not match, or a file shorter
# than its own metadata says (cut short by a copy or a full disk).
DAMAGE_MESSAGES = ("Corrupt database file", "Could not read enough bytes from file")


def is_damage(error: BaseException) -> bool:
    """Whether a DuckDB error says the database file itself is damaged, rather than a statement being wrong."""
    return any(message in str(error) for message in DAMAGE_MESSAGES)


def damaged(db_path: Path, error: BaseException) -> WarehouseUnreadable:
    return WarehouseUnreadable(f"{db_path} is damaged ({first_line(error)}); restore a copy, or build a new "
                               "warehouse with `newsetl run --db NEW_FILE`")


def _writer(db_path: Path, error: duckdb.Error) -> str:
    """Who holds the file: the newsetl run named in its lock file when the PIDs agree, else the PID."""
    pid = re.search(r"PID (\d+)", str(error))
    if pid is None:
        return "another process"
    running = holder(db_path)
    if str(running.get("pid")) == pid.group(1) and running.get("run_id"):
        return f"run {running['run_id']} (PID {pid.group(1)})"
    return f"another process (PID {pid.group(1)})"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def seal(con: duckdb.DuckDBPyConnection, write_into: Path | None = None) -> None:
    """Cut `con` off from every file but its own database, for good. With `write_into`, DuckDB may still
    read and write inside that folder (and nowhere else): the export's Parquet files. The order matters:
    DuckDB accepts `allowed_directories` only while external access is on, and refuses to turn external
    access off once the local file system is disabled."""
    if write_into is not None:
        con.execute(f"SET allowed_directories = [{_sql_text(os.path.abspath(write_into) + os.sep)}]")
    con.execute("SET enable_external_access = false")
    if write_into is None:
        con.execute("SET disabled_filesystems = 'LocalFileSystem'")
    con.execute("SET lock_configuration = true")


def open_read_only(db_path: Path, write_into: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only and sealed (see `seal`); WarehouseUnreadable when it cannot be opened."""
    path = Path(db_path)
    if path.is_dir():
        raise WarehouseUnreadable(f"{db_path} is a folder, not a warehouse file (--db names the .duckdb file)")
    if not path.is_file():
        raise WarehouseUnreadable(f"no warehouse at {db_path} (`newsetl run` creates it)")
    try:
        con = duckdb.connect(str(path), read_only=True, config=OPEN_CONFIG)
    except duckdb.Error as exc:
        if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
            raise WarehouseUnreadable(f"{db_path} is being written by {_writer(path, exc)}; try again "
                                      f"when it has finished") from None
        if is_damage(exc):
            raise damaged(db_path, exc) from None
        raise WarehouseUnreadable(f"cannot open {db_path}: {first_line(exc)}") from None
    try:
        seal(con, write_into)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def reading(db_path: Path, write_into: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """`open_read_only` for the length of a `with`, closed after. A damaged block met while reading (DuckDB
    checks each block's checksum only when it reads it) becomes WarehouseUnreadable naming the file."""
    con = open_read_only(db_path, write_into)
    try:
        yield con
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(db_path, exc) from None
        raise
    finally:
        con.close()


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                       "AND schema_name = 'main' AND table_name = ?", [name]).fetchone()[0] > 0

"""The last runs as the `runs` table recorded them (`newsetl status`, `cli.status`), to see at a glance whether
the warehouse is current and what the latest runs did, without writing SQL."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import duckdb

from cli.readonly import WarehouseUnreadable, first_line, has_table, reading
from cli.text_table import text_table

# Newest first; seconds from the recorded start and end (NULL while unknown).
RECENT_RUNS_SQL = """
SELECT run_id, status, started_at, finished_at,
       round(epoch(finished_at) - epoch(started_at), 1) AS duration_seconds,
       files_seen, files_loaded, files_quarantined, documents_processed
FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?
"""
HEADERS = ("run_id", "status", "started (UTC)", "seconds", "files seen", "in warehouse", "quarantined",
           "docs processed")


def recent_runs(db_path: Path, limit: int) -> list[dict]:
    """The last `limit` runs (0: all), newest first, read from a read-only connection closed before
    returning."""
    with reading(db_path) as con:
        if not has_table(con, "runs"):
            raise WarehouseUnreadable(f"{db_path} has no runs table: not a newsetl warehouse")
        try:
            cursor = con.execute(RECENT_RUNS_SQL, [limit or None])  # LIMIT NULL: no limit
        except duckdb.ProgrammingError as exc:  # a runs table of another shape
            raise WarehouseUnreadable(f"cannot read the runs of {db_path}: {first_line(exc)}") from None
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def runs_as_json(runs: list[dict]) -> str:
    return json.dumps([{**run, "started_at": run["started_at"].isoformat(),
                        "finished_at": run["finished_at"].isoformat() if run["finished_at"] else None}
                       for run in runs])


def runs_as_text(runs: list[dict]) -> str:
    rows = [(r["run_id"], r["status"], r["started_at"].replace(microsecond=0), r["duration_seconds"], r["files_seen"],
             r["files_loaded"], r["files_quarantined"], r["documents_processed"]) for r in runs]
    return text_table(HEADERS, rows)


def show_status(db_path: Path, limit: int, as_json: bool, out: TextIO | None = None, err: TextIO | None = None
                ) -> int:
    """Print the last runs; the exit code of `newsetl status` (1 when there is no warehouse to read)."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        runs = recent_runs(db_path, limit)
    except WarehouseUnreadable as reason:
        print(f"newsetl: {reason}", file=err)
        return 1
    if as_json:
        print(runs_as_json(runs), file=out)
    elif runs:
        print(f"last {len(runs)} run(s) of {db_path}, newest first", file=out)
        print(runs_as_text(runs), file=out)
    else:
        print(f"no runs recorded in {db_path}", file=out)
    return 0

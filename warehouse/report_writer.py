"""Write a warehouse's validation report (`warehouse.validation_report`) into the folder beside it.

Read from the warehouse itself after a run's load (read-only), so the pages show what was committed.
Each page is written to a temporary file and renamed over the old one, the index last: a reader never
sees a half-written page, and every link of the index points to a page that is already there.
"""

from __future__ import annotations

import os
from pathlib import Path

from warehouse.loader import connect
from warehouse.validation_report import INDEX_PAGE, RUNS_FOLDER, RUNS_SHOWN, render_report, report_folder

_RUN_COLUMNS = ("run_id, started_at, finished_at, status, seeds_dir, files_seen, files_new, files_changed, "
                "files_unchanged, files_removed, documents_processed, files_loaded, files_quarantined, message")
_RESULT_COLUMNS = ("run_id, result_id, table_name, expectation, column_name, kwargs, success, element_count, "
                   "unexpected_count")
_QUARANTINE_COLUMNS = "run_id, quarantine_id, table_name, record_key, seed_name, check_name, reason"


def _dicts(con, sql: str, parameters: list) -> list[dict]:
    cursor = con.execute(sql, parameters)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def read_report_rows(db_path: Path | str, runs_shown: int = RUNS_SHOWN) -> tuple[list[dict], list[dict], list[dict], int]:
    """(the newest `runs_shown` runs, their validation results, their quarantine rows, how many older runs)."""
    con = connect(db_path, read_only=True)
    try:
        runs = _dicts(con, f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?",
                      [runs_shown])
        ids = [run["run_id"] for run in runs]
        results = _dicts(con, f"SELECT {_RESULT_COLUMNS} FROM validation_results WHERE list_contains(?, run_id)", [ids])
        quarantine = _dicts(con, f"SELECT {_QUARANTINE_COLUMNS} FROM quarantine WHERE list_contains(?, run_id)", [ids])
        total = con.execute("SELECT count(*) FROM runs").fetchone()[0]
    finally:
        con.close()
    return runs, results, quarantine, total - len(runs)


def _write_if_changed(path: Path, text: str) -> None:
    """Replace `path` atomically with `text`, unless it already holds exactly that (old run pages rarely change)."""
    data = text.encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def write_pages(folder: Path, pages: dict[str, str]) -> None:
    """Write the pages (index last), then drop run pages no longer listed and leftover temporary files."""
    (folder / RUNS_FOLDER).mkdir(parents=True, exist_ok=True)
    for relative in sorted(pages, key=lambda name: name == INDEX_PAGE):
        _write_if_changed(folder / relative, pages[relative])
    keep = {folder / relative for relative in pages}
    for stale in [*(folder / RUNS_FOLDER).iterdir(), *folder.glob(".*.tmp")]:
        if stale.is_file() and stale not in keep:
            stale.unlink(missing_ok=True)


def write_validation_report(db_path: Path | str) -> Path:
    """Render the warehouse's report into `<db stem>_validation/` beside it; the index page's path."""
    runs, results, quarantine, older = read_report_rows(db_path)
    folder = report_folder(db_path)
    write_pages(folder, render_report(Path(db_path).name, runs, results, quarantine, older))
    return (folder / INDEX_PAGE).resolve()

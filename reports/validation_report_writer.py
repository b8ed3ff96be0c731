"""Write a warehouse's validation report (`reports.validation_report`) into the folder beside it.

Read from the warehouse itself after a run's load (read-only), so the pages show what was committed.
Each page is written to a temporary file and renamed over the old one, the index last: a reader never
sees a half-written page, and every link of the index points to a page that is already there. Through
`warehouse.output_folder.OutputFolder`, as every writer: only inside the folder, never through a link, and
only pages an earlier report recorded writing are removed (a run page whose run left the newest 100).
"""

from __future__ import annotations

from pathlib import Path

from warehouse.loader import connect
from warehouse.output_folder import OutputFolder
from warehouse.output_record import VALIDATION_REPORT
from reports.validation_report import INDEX_PAGE, RUNS_SHOWN, render_report
from warehouse.paths import validation_report_folder

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


def write_pages(folder: Path, pages: dict[str, str], warehouse: Path | str | None = None) -> list[str]:
    """Write the pages (index last), then drop the pages an earlier report wrote that are no longer listed,
    and leftover temporary files of ours; the paths removed."""
    with OutputFolder(folder, VALIDATION_REPORT, warehouse) as out:
        out.begin(pages)
        for relative in sorted(pages, key=lambda name: name == INDEX_PAGE):
            out.write(relative, pages[relative].encode("utf-8"))
        return out.finish(set(pages))


def write_validation_report(db_path: Path | str) -> Path:
    """Render the warehouse's report into `<db stem>_validation/` beside it; the index page's path."""
    runs, results, quarantine, older = read_report_rows(db_path)
    folder = validation_report_folder(db_path)
    write_pages(folder, render_report(Path(db_path).name, runs, results, quarantine, older), db_path)
    return (folder / INDEX_PAGE).resolve()

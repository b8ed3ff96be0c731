"""The files a warehouse has beside it, named after it: DuckDB's write-ahead log and spill folder, the run
lock, the validation report folder. One place for their names, so the writer of each and the seeds scan
(which must never read them as input) agree."""

from __future__ import annotations

from pathlib import Path

# What DuckDB keeps beside a database file: its write-ahead log and its spill folder.
DUCKDB_SIDE_FILES = (".wal", ".tmp")
LOCK_SUFFIX = ".lock"
VALIDATION_FOLDER_SUFFIX = "_validation"  # news.duckdb -> news_validation/ beside it


def lock_path(db_path: Path | str) -> Path:
    """The run lock of a warehouse (`flows.lock`)."""
    return Path(f"{db_path}{LOCK_SUFFIX}")


def validation_report_folder(db_path: Path | str) -> Path:
    """The validation report folder of a warehouse: beside it, named after it, so each warehouse has its own."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}{VALIDATION_FOLDER_SUFFIX}"


def beside(db_path: Path | str) -> tuple[Path, ...]:
    """The warehouse file and everything newsetl or DuckDB writes beside it."""
    db = Path(db_path)
    return (db, *(Path(f"{db}{suffix}") for suffix in DUCKDB_SIDE_FILES), lock_path(db), validation_report_folder(db))

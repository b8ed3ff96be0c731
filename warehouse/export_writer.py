"""`newsetl export --parquet DIR`: the IO. Reads the warehouse (a read-only connection), writes the
partitions `warehouse.export.plan_export` says changed, each atomically (a temporary file, then a rename),
writes `_manifest.json` after them, atomically too, and then removes the partitions that are gone: a reader
of DIR sees the old export or the new one, file by file, and the manifest never names a file that is not
there yet.

Everything goes through `warehouse.output_folder.OutputFolder`: nothing is written outside DIR or through a
link inside it, and only files an earlier export recorded writing (`.newsetl-output.json`) are removed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

import contract
from warehouse.export import (MANIFEST_NAME, ExportPlan, Partition, build_manifest, content_hash, copy_sql,
                              legacy_files, partitions_sql, plan_export)
from warehouse.output_folder import OutputFolder, database_path
from warehouse.output_record import EXPORT


class ExportError(RuntimeError):
    """The export cannot be made; the message says why in one line."""


@dataclass(frozen=True)
class ExportReport:
    run_id: str | None
    plan: ExportPlan
    rows: int
    bytes: int
    seconds: float
    manifest: Path
    notes: list[str]


def latest_completed_run(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT run_id FROM runs WHERE status = 'completed' "
                      "ORDER BY finished_at DESC NULLS LAST, started_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def current_partitions(con: duckdb.DuckDBPyConnection, tables: tuple[contract.Table, ...]) -> list[Partition]:
    present = {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall()}
    missing = [t.name for t in tables if t.name not in present]
    if missing:
        raise ExportError(f"the warehouse has no {', '.join(missing)} table: not a newsetl warehouse of this "
                          "version (`newsetl run --rebuild` brings it to the contract)")
    parts = []
    for table in tables:
        for month, rows, digest in con.execute(partitions_sql(table)).fetchall():
            parts.append(Partition(table.name, month, rows, content_hash(table, digest)))
    return parts


def _read_manifest(folder: OutputFolder) -> dict | None:
    try:
        data = folder.read(MANIFEST_NAME)
        return None if data is None else json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None  # none yet, or unreadable: everything is written again


def export_parquet(con: duckdb.DuckDBPyConnection, out: Path,
                   tables: tuple[contract.Table, ...] = contract.TABLES) -> ExportReport:
    clock = time.perf_counter()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is not a folder")
    run_id = latest_completed_run(con)
    parts = current_partitions(con, tables)
    by_name = {t.name: t for t in tables}
    with OutputFolder(out, EXPORT, database_path(con)) as folder:
        manifest = _read_manifest(folder)
        if folder.previous is None:  # exported before the record existed: its manifest's partitions are ours
            folder.adopt(legacy_files(manifest))
        present = {p.path for p in parts if folder.is_file(p.path)}
        plan = plan_export(parts, manifest, present, folder.recorded)
        current = {p.path for p in parts} | {MANIFEST_NAME}
        folder.begin(current)
        for part in plan.write:
            with folder.external(part.path) as temporary:
                con.execute(copy_sql(by_name[part.table], part.month, temporary))
        document = build_manifest(run_id, tables, parts, datetime.now(timezone.utc).isoformat(timespec="seconds"))
        folder.write(MANIFEST_NAME, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
        removed = folder.finish(current)
        notes = folder.notes + plan.notes
    plan = ExportPlan(plan.write, plan.keep, removed, plan.notes)
    size = sum((out / p.path).lstat().st_size for p in parts)
    return ExportReport(run_id, plan, sum(p.rows for p in parts), size, time.perf_counter() - clock,
                        out / MANIFEST_NAME, notes)

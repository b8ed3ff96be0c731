"""`newsetl export --parquet DIR`: the IO. Reads the warehouse (a read-only connection), writes the
partitions `warehouse.export.plan_export` says changed, each atomically (`*.tmp`, then `os.replace`),
removes the ones that are gone and writes `_manifest.json` last, atomically too: a reader of DIR sees the
old export or the new one, file by file, and the manifest never names a file that is not there yet.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

import contract
from warehouse.export import (MANIFEST_NAME, ExportPlan, Partition, build_manifest, content_hash, copy_sql,
                              partitions_sql, plan_export)


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


def _read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # none yet, or unreadable: everything is written again


def _remove(out: Path, relative: str) -> None:
    file = out / relative
    file.unlink(missing_ok=True)
    for folder in file.parents:  # drop the partition (and table) folder once empty
        if folder == out or out not in folder.parents:
            break
        try:
            folder.rmdir()
        except OSError:
            break


def export_parquet(con: duckdb.DuckDBPyConnection, out: Path,
                   tables: tuple[contract.Table, ...] = contract.TABLES) -> ExportReport:
    clock = time.perf_counter()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is not a folder")
    manifest_path = out / MANIFEST_NAME
    run_id = latest_completed_run(con)
    parts = current_partitions(con, tables)
    present = {p.path for p in parts if (out / p.path).is_file()}
    plan = plan_export(parts, _read_manifest(manifest_path), present)
    by_name = {t.name: t for t in tables}
    for part in plan.write:
        target = out / part.path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        try:
            con.execute(copy_sql(by_name[part.table], part.month, str(tmp)))
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    for relative in plan.remove:
        _remove(out, relative)
    manifest = build_manifest(run_id, tables, parts, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    tmp = manifest_path.with_name(manifest_path.name + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, manifest_path)
    size = sum((out / p.path).stat().st_size for p in parts)
    return ExportReport(run_id, plan, sum(p.rows for p in parts), size, time.perf_counter() - clock, manifest_path)

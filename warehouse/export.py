"""`newsetl export --parquet DIR`: the pure part. Which files the analyst tables become, how a partition's
content is fingerprinted, what a re-export must write, keep and remove, and what the manifest says.

The IO (running the queries, writing files) is in `warehouse.export_writer`.

Layout (hive style, one folder per table, so every table reads the same way):

    DIR/_manifest.json
    DIR/articles/month=2025-11/part-0.parquet     article-level tables, by publication month
    DIR/articles/month=unknown/part-0.parquet     articles with neither published nor reference date
    DIR/stories/part-0.parquet                    every other table, one file

The analyst tables are the contract's (`contract.TABLES`); `_warehouse_meta` and the `staging` schema are
internal and not exported. A table is article-level when it has an `article_id` column: its rows go to the
month of their article, `coalesce(published_date, reference_date)` (a row whose article is not in
`articles`, e.g. a quarantined file's `manifest` row, goes to `month=unknown`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import contract
from warehouse.output_record import contained_path, stale_files

MANIFEST_NAME = "_manifest.json"
MANIFEST_FORMAT = 1
PART_FILE = "part-0.parquet"
UNKNOWN_MONTH = "unknown"
MONTH_COLUMN = "month"
# A partition file as `partition_path` names it: what an export folder from before the output record
# (`warehouse.output_record`) may have of ours.
_PARTITION_FILE = re.compile(rf"(?P<table>[^/]+)/(?:{MONTH_COLUMN}=(?:[0-9]{{4}}-[0-9]{{2}}|{UNKNOWN_MONTH})/)?"
                             rf"{re.escape(PART_FILE)}")


def is_partitioned(table: contract.Table) -> bool:
    """Article-level: partitioned by the publication month of the row's article."""
    return "article_id" in table.column_names


def partition_path(table: str, month: str | None) -> str:
    """The file of a partition, relative to the export folder (POSIX separators)."""
    return f"{table}/{PART_FILE}" if month is None else f"{table}/{MONTH_COLUMN}={month}/{PART_FILE}"


def table_schema(table: contract.Table) -> list[dict]:
    return [{"name": c.name, "type": c.sql_type, "nullable": c.nullable} for c in table.columns]


def _schema_fingerprint(table: contract.Table) -> str:
    return json.dumps(table_schema(table), sort_keys=True)


def content_hash(table: contract.Table, row_digest: str) -> str:
    """A partition's content hash: the digest of its rows (order-independent, `row_digest_sql`) together
    with the table's schema, so a contract change rewrites the files even when the values are the same."""
    return hashlib.sha256(f"{_schema_fingerprint(table)}\n{row_digest}".encode()).hexdigest()


# --- SQL (pure: strings built from the contract) -------------------------------------------------------


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source(table: contract.Table) -> str:
    """`FROM` clause: the table as `t`, with its article's date as `a.d` for the article-level ones."""
    if table.name == "articles":
        return 'FROM "articles" AS t'
    if is_partitioned(table):
        return (f"FROM {_ident(table.name)} AS t LEFT JOIN (SELECT article_id, "
                "coalesce(published_date, reference_date) AS d FROM \"articles\") AS a ON a.article_id = t.article_id")
    return f"FROM {_ident(table.name)} AS t"


def _month_sql(table: contract.Table) -> str:
    day = "coalesce(t.published_date, t.reference_date)" if table.name == "articles" else "a.d"
    return f"coalesce(strftime({day}, '%Y-%m'), {_literal(UNKNOWN_MONTH)})"


def partitions_sql(table: contract.Table) -> str:
    """One row per partition of the table: month (null for an unpartitioned table), rows, row digest.

    The digest is the md5 of the sorted md5s of the rows (each row as a struct of the contract's columns
    cast to text): independent of row order and of the table's physical column order."""
    row = "struct_pack(" + ", ".join(f"{_ident(c)} := t.{_ident(c)}" for c in table.column_names) + ")"
    month = _month_sql(table) if is_partitioned(table) else "NULL::VARCHAR"
    # An unpartitioned table is one partition even when empty (no GROUP BY: one row), so its file exists.
    group = " GROUP BY month ORDER BY month" if is_partitioned(table) else ""
    return (f"WITH r AS (SELECT md5(CAST({row} AS VARCHAR)) AS h, {month} AS month {_source(table)}) "
            "SELECT any_value(month) AS month, count(*) AS n, "
            f"md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS digest FROM r{group}")


def copy_sql(table: contract.Table, month: str | None, target: str) -> str:
    """`COPY` of one partition's rows (the contract's columns, in key order) to a Parquet file."""
    columns = ", ".join(f"t.{_ident(c)}" for c in table.column_names)
    where = "" if month is None else f" WHERE {_month_sql(table)} = {_literal(month)}"
    order = ", ".join(f"t.{_ident(c)}" for c in table.primary_key)
    return (f"COPY (SELECT {columns} {_source(table)}{where} ORDER BY {order}) "
            f"TO {_literal(target)} (FORMAT parquet, COMPRESSION zstd)")


# --- plan and manifest ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Partition:
    table: str
    month: str | None  # None: the table is not partitioned
    rows: int
    hash: str

    @property
    def path(self) -> str:
        return partition_path(self.table, self.month)


@dataclass(frozen=True)
class ExportPlan:
    write: list[Partition] = field(default_factory=list)   # new or changed (or missing on disk)
    keep: list[Partition] = field(default_factory=list)    # same content as the manifest says, file present
    remove: list[str] = field(default_factory=list)        # files an earlier export wrote that are gone now
    notes: list[str] = field(default_factory=list)         # manifest entries ignored, and why


def _manifest_partitions(manifest: dict | None) -> list[dict]:
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT \
            or not isinstance(manifest.get("tables"), dict):
        return []
    return [part for entry in manifest["tables"].values() if isinstance(entry, dict)
            for part in entry.get("partitions", []) if isinstance(part, dict) and "path" in part]


def previous_hashes(manifest: dict | None) -> dict[str, str]:
    """path -> content hash of every partition an earlier manifest lists inside the export folder ({} when
    none or unreadable). An entry naming anything else is never acted on (`ignored_entries`)."""
    return {part["path"]: part["hash"] for part in _manifest_partitions(manifest)
            if "hash" in part and contained_path(part["path"]) is not None}


def ignored_entries(manifest: dict | None) -> list[str]:
    """Notes on the manifest's entries that are not paths inside the export folder (`../x`, `/etc/x`)."""
    return [f"ignored {part['path']!r} listed in {MANIFEST_NAME}: not a path inside the export folder"
            for part in _manifest_partitions(manifest) if contained_path(part["path"]) is None]


def legacy_files(manifest: dict | None) -> set[str]:
    """The partition files an export from before the output record wrote, as its manifest lists them: only
    paths inside the folder laid out as `partition_path` names them, for a table the manifest describes."""
    tables = set(manifest["tables"]) if _manifest_partitions(manifest) else set()
    found = set()
    for part in _manifest_partitions(manifest):
        path = contained_path(part["path"])
        match = _PARTITION_FILE.fullmatch(path) if path else None
        if match and match["table"] in tables:
            found.add(path)
    return found


def plan_export(current: list[Partition], previous: dict | None, present: set[str],
                written_before: Iterable[str] | None = None) -> ExportPlan:
    """What a (re-)export does: write the partitions whose hash differs from the previous manifest's (or whose
    file is missing), keep the others, remove the files an earlier export wrote (`written_before`, from the
    folder's output record; without one, `legacy_files` of the manifest) that no longer exist."""
    before = previous_hashes(previous)
    plan = ExportPlan(notes=ignored_entries(previous))
    for part in current:
        (plan.keep if before.get(part.path) == part.hash and part.path in present else plan.write).append(part)
    written = legacy_files(previous) if written_before is None else set(written_before)
    plan.remove.extend(stale_files(written, {p.path for p in current} | {MANIFEST_NAME}))
    return plan


def build_manifest(run_id: str | None, tables: tuple[contract.Table, ...], partitions: list[Partition],
                   exported_at: str) -> dict:
    """The `_manifest.json` of an export: the warehouse's latest completed run, and per table its rows, its
    schema (from the contract) and its partitions (path, month, rows, content hash)."""
    by_table: dict[str, list[Partition]] = {t.name: [] for t in tables}
    for part in partitions:
        by_table[part.table].append(part)
    return {
        "format": MANIFEST_FORMAT,
        "run_id": run_id,
        "exported_at": exported_at,
        "layout": f"<table>/{PART_FILE}; article-level tables <table>/{MONTH_COLUMN}=YYYY-MM/{PART_FILE} "
                  f"(hive partitioning, {MONTH_COLUMN}={UNKNOWN_MONTH} when the article has no date)",
        "tables": {
            t.name: {
                "rows": sum(p.rows for p in by_table[t.name]),
                "write": t.write,
                "partitioned_by": MONTH_COLUMN if is_partitioned(t) else None,
                "primary_key": list(t.primary_key),
                "columns": table_schema(t),
                "partitions": [{"path": p.path, "month": p.month, "rows": p.rows, "hash": p.hash}
                               for p in sorted(by_table[t.name], key=lambda p: p.path)],
            }
            for t in tables
        },
    }

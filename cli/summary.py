"""What `newsetl run` says when a run ends: one dict built from the run's report, printed as JSON
(`--json`) or formatted as the one-screen text summary, so both always say the same thing.

File counts describe the warehouse after the run, as the `runs` row does: `files_loaded` are the files
whose article is in the warehouse now (whether this run processed them or an earlier one did);
`documents_processed` is what this run read, cleaned and extracted.
"""

from __future__ import annotations

from pathlib import Path

from flows.incremental import RunReport
from flows.sources import SKIP_KINDS

QUARANTINED_SHOWN = 15
FILE_COUNTS = ("files_seen", "files_loaded", "files_quarantined", "files_new", "files_changed", "files_unchanged",
               "files_removed")


def run_summary(report: RunReport, db_path: Path) -> dict:
    """The run's outcome as plain JSON-ready values; keys follow the `runs` table's column names."""
    return {
        "run_id": report.run_id,
        "status": report.status,
        "db": str(db_path),
        **{name: getattr(report, name) for name in FILE_COUNTS},
        "files_unknown": report.files_unknown,
        "documents_processed": report.documents_processed,
        "entries_skipped": sum(report.skipped.values()),
        "skipped": {kind: report.skipped.get(kind, 0) for kind in SKIP_KINDS},
        "unreadable_folders": [{"folder": folder, "reason": reason} for folder, reason in report.unreadable_folders],
        "counts": dict(report.counts),
        "rows_quarantined": report.rows_quarantined,
        "quarantined": [{"seed_name": seed_name, "reason": reason} for seed_name, reason in report.quarantined],
        "stage_seconds": dict(report.stage_seconds),
        "peak_rss_mb": report.peak_rss_mb,
        "validation_report": report.validation_report,
        "data_docs": report.data_docs,
        "notices": list(report.notices),
    }


def _headline(summary: dict) -> str:
    if summary["status"] == "noop":
        return f"run {summary['run_id']}: noop (no file changed since the last run; nothing was processed)"
    return f"run {summary['run_id']}: {summary['status']}"


def _scan_lines(summary: dict) -> list[str]:
    """What the scan left out by design, counted (a folder it could not list is a `note`, with its reason)."""
    if not summary["entries_skipped"]:
        return []
    kinds = ", ".join(f"{SKIP_KINDS[kind]} {count}" for kind, count in summary["skipped"].items() if count)
    return [f"  skipped    {summary['entries_skipped']} by design, not read: {kinds}"]


def format_summary(summary: dict) -> str:
    """The one-screen text form of `run_summary`. It never says a file was loaded by this run when an
    earlier run loaded it: "in warehouse" is the state after the run, "this run" what it did."""
    counts = summary["counts"]
    lines = [
        _headline(summary),
        f"  files      seen {summary['files_seen']}: in warehouse {summary['files_loaded']}, "
        f"quarantined {summary['files_quarantined']}",
        f"  this run   new {summary['files_new']}, changed {summary['files_changed']}, unchanged "
        f"{summary['files_unchanged']} (skipped), removed {summary['files_removed']}; documents processed "
        f"{summary['documents_processed']}",
        *_scan_lines(summary),
        f"  warehouse  {summary['db']}",
        f"    articles {counts.get('articles', 0)}, entities {counts.get('entities', 0)}, "
        f"mentions {counts.get('entity_mentions', 0)}, quotes {counts.get('quotes', 0)}, "
        f"events {counts.get('events', 0)}, clutter lines {counts.get('article_clutter', 0)}",
        f"    quarantine rows this run {summary['rows_quarantined']}",
    ]
    quarantined = summary["quarantined"]
    lines += [f"  quarantined {q['seed_name']}: {q['reason']}" for q in quarantined[:QUARANTINED_SHOWN]]
    if len(quarantined) > QUARANTINED_SHOWN:
        lines.append(f"  … and {len(quarantined) - QUARANTINED_SHOWN} more (SELECT * FROM quarantine WHERE run_id = "
                     f"'{summary['run_id']}')")
    stages = summary["stage_seconds"]
    startup = {k.removeprefix("startup_"): v for k, v in stages.items() if k.startswith("startup_")}
    lines.append("  stages     " + ", ".join(f"{k} {v:.2f}s" for k, v in stages.items() if not k.startswith("startup_")))
    if startup:
        lines.append("  start-up   " + ", ".join(f"{k} {v:.2f}s" for k, v in startup.items()))
    if summary["peak_rss_mb"]:
        lines.append(f"  memory     peak RSS {summary['peak_rss_mb']} MB")
    if summary["validation_report"]:
        lines.append(f"  validation report {summary['validation_report']}")
    if summary["data_docs"]:
        lines.append(f"  GX data docs {summary['data_docs']} (GX's own site: the runs of every warehouse)")
    lines += [f"  note       {notice}" for notice in summary["notices"]]
    return "\n".join(lines)

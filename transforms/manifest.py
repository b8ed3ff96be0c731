"""Which input files a run must process: compare what is on disk with the manifest of the last run.

A file is skipped when its content hash and the code version are what the manifest recorded; it is
processed when it is new or either changed; its rows are retracted when it is gone. Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from transforms.article import article_id_for


@dataclass(frozen=True)
class Scanned:
    """One file found by this run: its hash when it could be read, else why not."""

    seed_name: str
    content_sha256: str | None
    size_bytes: int | None
    check: str | None = None  # set when the file could not be read (quarantined at the edge)
    reason: str | None = None


@dataclass
class Changes:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def to_process(self) -> list[str]:
        return sorted(self.new + self.changed)

    @property
    def is_noop(self) -> bool:
        return not (self.new or self.changed or self.removed)


def plan_changes(scanned: list[Scanned], manifest: pl.DataFrame, code_version: str) -> Changes:
    """Sort every file into new / changed / unchanged, and find the ones that are gone."""
    previous = {row["seed_name"]: row for row in manifest.iter_rows(named=True)}
    changes = Changes()
    for item in scanned:
        before = previous.get(item.seed_name)
        if before is None:
            changes.new.append(item.seed_name)
        elif (before["content_sha256"] != item.content_sha256 or before["code_version"] != code_version
              or (item.check is not None and before["check_name"] != item.check)
              or (item.check is None and before["content_sha256"] is None)):
            changes.changed.append(item.seed_name)
        else:
            changes.unchanged.append(item.seed_name)
    found = {item.seed_name for item in scanned}
    changes.removed = sorted(name for name in previous if name not in found)
    return changes


def manifest_after(scanned: list[Scanned], manifest: pl.DataFrame, changes: Changes, loaded: set[str],
                   checks: dict[str, str], code_version: str, run_id: str) -> list[dict]:
    """The manifest this run leaves: one row per file it saw, with what became of it.

    `loaded` are the article ids in the warehouse after the run; `checks` maps a seed name to why it was
    quarantined by this run. An unchanged file keeps its recorded outcome.
    """
    previous = {row["seed_name"]: row for row in manifest.iter_rows(named=True)}
    processed = set(changes.to_process)
    rows = []
    for item in scanned:
        before = previous.get(item.seed_name)
        article_id = article_id_for(item.seed_name)
        status = "loaded" if article_id in loaded else "quarantined"
        check = None if status == "loaded" else checks.get(item.seed_name) or (before or {}).get("check_name") \
            or item.check or "validation"
        rows.append({
            "seed_name": item.seed_name, "article_id": article_id, "content_sha256": item.content_sha256,
            "size_bytes": item.size_bytes, "status": status, "check_name": check,
            "code_version": code_version if item.seed_name in processed or before is None else before["code_version"],
            "first_seen_run": before["first_seen_run"] if before else run_id,
            "processed_run": run_id if item.seed_name in processed or before is None else before["processed_run"],
            "seen_run": run_id,
        })
    return rows

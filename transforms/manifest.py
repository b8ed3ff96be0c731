"""Which input files a run must process: compare what is on disk with the manifest of the last run.

A file is skipped when its content hash and the code version are what the manifest recorded; it is
processed when it is new or either changed; its rows are retracted when it is gone. A file the scan could
not see because its folder could not be listed is not gone: it is unknown, and stays as it was. Pure
functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from transforms.article import Rejected, article_id_for


@dataclass(frozen=True)
class Scanned:
    """One file found by this run: its hash when it could be read, else why not."""

    seed_name: str
    content_sha256: str | None
    size_bytes: int | None
    rejected: Rejected | None = None  # set when the file could not be read (quarantined at the edge)

    @property
    def check(self) -> str | None:
        return self.rejected.check if self.rejected else None


@dataclass
class Changes:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Known to the manifest, under a folder this run could not list: neither seen nor gone. Kept as they
    # were (manifest row, articles, staged rows), never retracted, not counted as removed.
    unknown: list[str] = field(default_factory=list)

    @property
    def to_process(self) -> list[str]:
        return sorted(self.new + self.changed)

    @property
    def is_noop(self) -> bool:
        return not (self.new or self.changed or self.removed)


def under(name: str, folders: Iterable[str]) -> bool:
    """Whether the seed name lies inside one of `folders` (relative paths, "/" separators)."""
    return any(name.startswith(f"{folder}/") for folder in folders)


def walk_key(name: str) -> tuple[tuple[int, str], ...]:
    """Sort key giving the order the seeds scan finds files in: in each folder its files, then each
    subfolder in name order."""
    parts = name.split("/")
    return tuple((1, part) for part in parts[:-1]) + ((0, parts[-1]),)


def seed_order(seen: list[str], unknown: list[str]) -> list[str]:
    """The files of a run in scan order: those it saw, with the unknown ones (kept from the manifest, their
    folder could not be listed) where the scan would have found them."""
    return sorted(seen + unknown, key=walk_key) if unknown else seen


def plan_changes(scanned: list[Scanned], manifest: pl.DataFrame, code_version: str,
                 unlisted: Iterable[str] = ()) -> Changes:
    """Sort every file into new / changed / unchanged, and find the ones that are gone; a file the manifest
    knows inside a folder that could not be listed (`unlisted`) is unknown, not gone."""
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
    found, unlisted = {item.seed_name for item in scanned}, tuple(unlisted)
    missing = [name for name in previous if name not in found]
    changes.unknown = sorted(name for name in missing if under(name, unlisted))
    changes.removed = sorted(name for name in missing if not under(name, unlisted))
    return changes


def manifest_after(scanned: list[Scanned], manifest: pl.DataFrame, changes: Changes, loaded: set[str],
                   checks: dict[str, str], code_version: str, run_id: str) -> list[dict]:
    """The manifest this run leaves: one row per file it saw, with what became of it.

    `loaded` are the article ids in the warehouse after the run; `checks` maps a seed name to why it was
    quarantined by this run. An unchanged file keeps its recorded outcome; an unknown one (its folder could
    not be listed) keeps its whole row, as the last run that saw it left it.
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
    for name in changes.unknown:
        row = dict(previous[name])
        if row["status"] == "loaded" and row["article_id"] not in loaded:  # its reused rows failed validation now
            row.update(status="quarantined", check_name=checks.get(name) or "validation")
        rows.append(row)
    return rows

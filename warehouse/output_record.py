"""The record every newsetl writer keeps in its output folder, and what it decides from it. Pure.

A writer (`newsetl report`, `newsetl export`, the validation report beside a warehouse) owns only the files
it wrote. Its record, `.newsetl-output.json` in the folder, names the command, the warehouse and every
file (relative path) it wrote; the next run removes only recorded files it no longer writes, never a file a
user put beside them. The record is written before any file (the files of the last run plus the ones about
to be written, `complete: false`) and again at the end (what the folder now holds, `complete: true`): a
killed run leaves a record naming everything it may have left, so the next run can clean up after it.

The record also marks the folder as newsetl's output: a run whose seeds folder contains it does not read
it as articles (`flows.sources.discover`).

Paths read back from a record (or from an export's `_manifest.json`) are trusted only when they are plain
relative paths inside the folder (`contained_path`); anything else is ignored with a note, never acted on.
The IO side (`warehouse.output_folder`) adds what text alone cannot tell: no symbolic link on the way.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

RECORD_NAME = ".newsetl-output.json"
RECORD_FORMAT = 1
REPORT, EXPORT, VALIDATION_REPORT = "report", "export", "validation-report"  # the commands that keep a record

# A file being written goes to `.<name>.<pid>.tmp` beside it, then is renamed over `<name>`.
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.tmp")


def contained_path(entry: object) -> str | None:
    """`entry` when it is a plain relative POSIX path inside the folder (no leading `/`, no `..`, `.` or
    empty part, no backslash or NUL), else None. Purely textual: links are the writer's to check."""
    if not isinstance(entry, str) or not entry or "\x00" in entry or "\\" in entry or entry.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in entry.split("/")):
        return None
    return entry


def temporary_name(relative: str, pid: int) -> str:
    """Where `relative` is written before it is renamed into place (same folder, so the rename is atomic)."""
    folder, name = posixpath.split(relative)
    return posixpath.join(folder, f".{name}.{pid}.tmp")


def temporary_of(relative: str) -> tuple[str, int] | None:
    """(the file a temporary file belongs to, the writer's pid) when `relative` is named like one of ours."""
    folder, name = posixpath.split(relative)
    match = _TEMPORARY.fullmatch(name)
    return (posixpath.join(folder, match["name"]), int(match["pid"])) if match else None


@dataclass(frozen=True)
class OutputRecord:
    command: str
    warehouse: str | None
    files: frozenset[str]
    complete: bool = True


def parse_record(text: str) -> tuple[OutputRecord | None, list[str]]:
    """The record and notes on what was ignored in it; (None, [why]) when the text is not a record."""
    try:
        data = json.loads(text)
    except ValueError:
        return None, [f"{RECORD_NAME} is not valid JSON: no earlier file is removed"]
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT or not isinstance(data.get("files"), list) \
            or not isinstance(data.get("command"), str):
        return None, [f"{RECORD_NAME} is not a record of this newsetl version: no earlier file is removed"]
    files, notes = set(), []
    for entry in data["files"]:
        path = contained_path(entry)
        if path is None or path == RECORD_NAME:
            notes.append(f"ignored {entry!r} listed in {RECORD_NAME}: not a path inside the folder")
        else:
            files.add(path)
    warehouse = data.get("warehouse") if isinstance(data.get("warehouse"), str) else None
    return OutputRecord(data["command"], warehouse, frozenset(files), data.get("complete") is True), notes


def record_text(record: OutputRecord) -> str:
    """The record as written. No time stamp: an unchanged output leaves its record untouched too."""
    return json.dumps({"format": RECORD_FORMAT, "tool": "newsetl", "command": record.command,
                       "warehouse": record.warehouse, "complete": record.complete, "files": sorted(record.files)},
                      indent=1) + "\n"


def stale_files(recorded: Iterable[str], current: Iterable[str]) -> list[str]:
    """Files an earlier run recorded writing that this run does not write: the only ones it removes."""
    return sorted(set(recorded) - set(current) - {RECORD_NAME})


def own_temporaries(names: Iterable[str], ours: Iterable[str]) -> list[str]:
    """Of `names` (relative paths found in the folders the writer uses), the temporary files of files it
    wrote or writes (`ours`): leftovers of a killed run, safe to remove. A user's `notes.tmp` or
    `.draft.1.tmp` beside our files is not ours."""
    owned = set(ours) | {RECORD_NAME}
    return sorted(name for name in names if (belongs := temporary_of(name)) and belongs[0] in owned)


def parent_folders(paths: Iterable[str]) -> list[str]:
    """Every folder (relative, "" for the root) on the way to `paths`, parents first."""
    folders = {""}
    for path in paths:
        folder = posixpath.dirname(path)
        while folder:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return sorted(folders, key=lambda f: (f.count("/") + bool(f), f))

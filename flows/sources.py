"""The input edge: find seed files and read their bytes safely. Every file found is either read or
rejected with a reason, never skipped silently; what the scan leaves out by design (dot-files and
dot-folders, links to folders, newsetl's own output) is counted, and a folder it cannot list is named.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from transforms.article import Rejected
from transforms.manifest import Scanned
from warehouse.output_record import RECORD_NAME, parse_record

# What the scan leaves out by design, by kind (the run summary's words). Newsetl outputs: the warehouse and
# its side files, and every folder holding an output record (a report, an export, a validation report).
SKIP_KINDS = {"dot_files": "dot-files", "dot_folders": "dot-folders", "folder_links": "links to folders",
              "newsetl_outputs": "newsetl outputs"}
UNREADABLE = "unreadable"  # a folder that could not be listed (a walk event)
FILE = "file"


class SeedsUnreadable(RuntimeError):
    """The seeds folder itself cannot be listed: nothing can be said about its files, so nothing is done."""


@dataclass(frozen=True)
class SeedFile:
    seed_name: str  # path relative to the seeds folder, "/" separators, undecodable bytes escaped (`readable_name`)
    path: str  # absolute path as found (may be a symlink); the file system's own name, for opening it


def readable_name(relative: str) -> str:
    """A file name the warehouse can store: bytes that are not UTF-8 (a Latin-1 name on a UTF-8 system
    arrives as surrogate escapes) are written as `\\xe9`, so the name stays unique, printable and findable."""
    return os.fsencode(relative).decode("utf-8", errors="backslashreplace")


@dataclass(frozen=True)
class RawFile:
    seed_name: str
    data: bytes
    content_sha256: str
    size_bytes: int


@dataclass(frozen=True)
class UnreadableFolder:
    folder: str  # relative to the seeds folder, as seed names are (`readable_name`)
    reason: str  # the OS's reason, e.g. "PermissionError: Permission denied"


@dataclass
class Discovery:
    """What the scan found: the files to read, the folders it could not list, what it left out by design."""

    files: list[SeedFile] = field(default_factory=list)
    unreadable: list[UnreadableFolder] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SKIP_KINDS, 0))

    @property
    def entries_skipped(self) -> int:
        return sum(self.skipped.values())


def _os_reason(exc: OSError) -> str:
    return f"{type(exc).__name__}: {exc.strerror or exc}"


def _is_folder(entry: os.DirEntry) -> bool:
    """As `os.walk` decides (a link to a folder is a folder here; it is then not followed)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def is_output_folder(folder: Path) -> bool:
    """A folder a newsetl writer marked as its output (`warehouse.output_record`): never read as input."""
    try:
        return stat.S_ISREG(os.lstat(Path(folder) / RECORD_NAME).st_mode)
    except OSError:
        return False


def _recorded_outputs(folder: Path) -> frozenset[str]:
    """The files a newsetl writer recorded writing into `folder` itself (the seeds folder, when a report
    or export was pointed at it): those files are skipped, the user's articles beside them are read."""
    if not is_output_folder(folder):
        return frozenset()
    try:
        record, _ = parse_record((Path(folder) / RECORD_NAME).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return frozenset()
    return record.files if record else frozenset()


def walk_seeds(seeds_dir: Path, outputs: Iterable[Path] = ()) -> Iterator[tuple[str, Path, str]]:
    """(what, path, detail) for every entry of the seeds folder, in the order `os.walk` with sorted names
    gives (a folder's files, then each subfolder in turn): `FILE`, one of `SKIP_KINDS`, or `UNREADABLE`
    (detail: the OS's reason). Links to folders are not followed; a folder that is a newsetl output is not
    entered. `SeedsUnreadable` when the seeds folder itself cannot be listed."""
    root = Path(seeds_dir)
    own = {os.path.abspath(p) for p in outputs}
    root_outputs = _recorded_outputs(root)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            if folder == root:
                raise SeedsUnreadable(f"cannot list the seeds folder {root}: {_os_reason(exc)}") from None
            yield UNREADABLE, folder, _os_reason(exc)
            continue
        subfolders = []
        for entry in entries:
            path = folder / entry.name
            if _is_folder(entry):
                if entry.name.startswith("."):
                    yield "dot_folders", path, ""
                elif entry.is_symlink():
                    yield "folder_links", path, ""
                elif os.path.abspath(path) in own or is_output_folder(path):
                    yield "newsetl_outputs", path, ""
                else:
                    subfolders.append(path)
            elif entry.name.startswith("."):
                yield "dot_files", path, ""
            elif os.path.abspath(path) in own or path.relative_to(root).as_posix() in root_outputs:
                yield "newsetl_outputs", path, ""
            else:
                yield FILE, path, ""
        stack.extend(reversed(subfolders))


def discover(seeds_dir: Path, outputs: Iterable[Path] = ()) -> Discovery:
    """All regular files and symlinks to files under `seeds_dir` (recursively, sorted); the folders that
    could not be listed; and the count of what was left out by design: dot-files and dot-folders (not
    articles), links to folders (not followed), and anything newsetl writes itself (`outputs`: the
    warehouse, its WAL and lock, its report folder; and any folder holding a writer's output record), should
    it live inside the seeds folder."""
    root = Path(seeds_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"seeds folder not found: {root}")
    found = Discovery()
    for what, path, detail in walk_seeds(root, outputs):
        relative = readable_name(path.relative_to(root).as_posix())
        if what == FILE:
            found.files.append(SeedFile(relative, str(path.absolute())))
        elif what == UNREADABLE:
            found.unreadable.append(UnreadableFolder(relative, detail))
        else:
            found.skipped[what] += 1
    return found


def read_seed(seed: SeedFile, seeds_dir: Path, max_bytes: int) -> RawFile | Rejected:
    """Read one file: refuse links leaving the seeds folder, non-regular files, oversize files, and
    files that change while being read."""
    path = Path(seed.path)
    root = Path(seeds_dir).resolve()
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        return Rejected("unreadable", f"cannot resolve path: {exc.__class__.__name__}: {exc}")
    if path.is_symlink() and not resolved.is_relative_to(root):
        return Rejected("symlink_outside", "symbolic link points outside the seeds folder")
    try:
        before = os.stat(resolved)
        if not stat.S_ISREG(before.st_mode):
            return Rejected("not_a_file", "not a regular file")
        if before.st_size > max_bytes:
            return Rejected("too_large", f"file is {before.st_size} bytes, over the {max_bytes}-byte cap")
        with open(resolved, "rb") as handle:
            data = handle.read(max_bytes + 1)
        after = os.stat(resolved)
    except OSError as exc:
        return Rejected("unreadable", f"{exc.__class__.__name__}: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return Rejected("too_large", f"file grew past the {max_bytes}-byte cap while being read")
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size:
        return Rejected("changed_while_reading", "file changed while it was being read; it will be retried next run")
    return RawFile(seed.seed_name, data, hashlib.sha256(data).hexdigest(), len(data))


def scan_files(seeds: list[SeedFile], seeds_dir: Path, max_bytes: int, known: dict[str, str | None]
               ) -> tuple[list[Scanned], dict[str, RawFile]]:
    """Read and hash every file. The bytes are kept only for files whose hash is not the one `known`
    (seed name -> hash from the manifest) records: those are the files this run may have to process."""
    scanned: list[Scanned] = []
    keep: dict[str, RawFile] = {}
    for seed in seeds:
        try:
            raw = read_seed(seed, seeds_dir, max_bytes)
        except Exception as exc:  # noqa: BLE001 - a file that cannot be read is quarantined, the run goes on
            raw = Rejected("unreadable", f"{type(exc).__name__}: {exc}")
        if isinstance(raw, Rejected):
            scanned.append(Scanned(seed.seed_name, None, None, raw.of(seed.seed_name)))
            continue
        scanned.append(Scanned(seed.seed_name, raw.content_sha256, raw.size_bytes))
        if known.get(seed.seed_name) != raw.content_sha256:
            keep[seed.seed_name] = raw
    return scanned, keep


def model_fingerprint(model_name: str) -> str:
    """Model package and version (a path to a model directory counts by name only)."""
    try:
        return f"{model_name}=={importlib.metadata.version(model_name)}"
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return f"{model_name}==None"


# Every package whose code can change what a file becomes in the warehouse: its rows (transforms, contract),
# whether they pass (expectations, expectations/validate.py), how they are staged and loaded (flows, warehouse).
CODE_PACKAGES = ("contract", "transforms", "expectations", "flows", "warehouse")
CODE_ROOT = Path(__file__).resolve().parent.parent


def code_files(root: Path = CODE_ROOT) -> list[Path]:
    """The files whose content decides what a file becomes: the packages' Python, and the weights of the
    models trained here (`models/*.json`: a retrained ranker changes rows as an edit to code does)."""
    return sorted(p for package in CODE_PACKAGES for pattern in ("*.py", "models/*.json")
                  for p in (root / package).rglob(pattern))


def code_version(model_name: str, root: Path = CODE_ROOT) -> str:
    """Hash of the code under `root` that turns a file into rows, plus the model: a change re-processes
    every file. Reads every source file: a run asks `running_code_version`."""
    digest = hashlib.sha256(model_fingerprint(model_name).encode())
    for path in code_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def running_code_version(model_name: str) -> str:
    """`code_version` of the code this process runs, hashed once per process: the code a process runs cannot
    change under it (an edit takes effect in the next process), so a long-lived `watch` records the version
    it runs, and a run that plans and later records itself reads each source file once."""
    return code_version(model_name)

"""The input edge: find seed files and read their bytes safely. Every file found is either read or
rejected with a reason, never skipped silently.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from transforms.decode import Rejected
from transforms.manifest import Scanned


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


def discover(seeds_dir: Path, outputs: Iterable[Path] = ()) -> list[SeedFile]:
    """All regular files and symlinks under `seeds_dir` (recursively, sorted); dot-files are not articles,
    and neither is anything the run writes itself (`outputs`: the warehouse, its WAL and lock, report
    folders), should it live inside the seeds folder."""
    root = Path(seeds_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"seeds folder not found: {root}")
    own = {os.path.abspath(p) for p in outputs}
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and os.path.abspath(os.path.join(dirpath, d)) not in own)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or os.path.abspath(path) in own:
                continue
            found.append(SeedFile(readable_name(path.relative_to(root).as_posix()), str(path.absolute())))
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
            scanned.append(Scanned(seed.seed_name, None, None, raw.check, raw.reason))
            continue
        scanned.append(Scanned(seed.seed_name, raw.content_sha256, raw.size_bytes))
        if known.get(seed.seed_name) != raw.content_sha256:
            keep[seed.seed_name] = raw
    return scanned, keep


def model_fingerprint(model_name: str) -> str:
    """Model package and version (a path to a model directory counts by name only)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{model_name}=={version(model_name)}"
    except (PackageNotFoundError, ValueError):
        return f"{model_name}==None"


# Every package whose code can change what a file becomes in the warehouse: its rows (transforms, contract),
# whether they pass (expectations, flows/validate.py), how they are staged and loaded (flows, warehouse).
CODE_PACKAGES = ("contract", "transforms", "expectations", "flows", "warehouse")


def code_version(model_name: str, root: Path = Path(__file__).resolve().parent.parent) -> str:
    """Hash of the code that turns a file into rows, plus the model: a change re-processes every file."""
    digest = hashlib.sha256(model_fingerprint(model_name).encode())
    for path in sorted(p for package in CODE_PACKAGES for p in (root / package).rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]

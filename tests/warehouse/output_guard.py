"""Shared by the writer tests: prove a writer changed nothing outside its output folder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (links not followed): relative path -> hash of the bytes, or the link's
    target, or "dir"."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[relative] = "dir"
            else:
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@contextmanager
def unchanged(*folders: Path) -> Iterator[None]:
    """Assert that nothing under `folders` changed (byte for byte) while the block ran."""
    before = {folder: tree_digest(folder) for folder in folders}
    yield
    for folder in folders:
        assert tree_digest(folder) == before[folder], f"{folder} changed"


def sibling(tmp_path: Path) -> Path:
    """A folder beside the output folder, with a file a writer must never touch."""
    folder = tmp_path / "sibling"
    (folder / "deep").mkdir(parents=True, exist_ok=True)
    (folder / "victim.txt").write_text("must survive\n")
    (folder / "deep" / "index.html").write_text("<p>not the report's</p>\n")
    return folder

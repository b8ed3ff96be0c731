"""From-scratch warehouses built once per seed content for the whole test session and shared by the test
processes under a file lock: many tests compare against (or start from) one, and each build is a full run."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.cli import run_cli_here
from tests.helpers.paths import SEEDS


def shared_dir(basetemp: Path) -> Path:
    """A folder every test process of this session sees (xdist workers' temp folders share a parent)."""
    shared = (basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp) / "shared"
    shared.mkdir(exist_ok=True)
    return shared


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def folder_digest(folder: Path) -> str:
    """A key of the folder's content (names and bytes), so the same seeds share one build wherever they lie."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build_scratch_warehouse(shared: Path, seeds: Path) -> Path:
    """The warehouse one full `newsetl run` of `seeds` makes from nothing, in one process
    (`NEWSETL_WORKERS=1`: the test process; not from a thread, a run sets the process's environment),
    built under `shared` unless a process of the session built it already."""
    key = folder_digest(seeds)
    db = shared / f"scratch-{key}" / "news.duckdb"
    with exclusive(shared / f"scratch-{key}.lock"):
        if not db.exists():
            building = shared / f"scratch-{key}.building"
            shutil.rmtree(building, ignore_errors=True)
            shutil.copytree(seeds, building / "seeds")
            result = run_cli_here(["run", "--seeds", str(building / "seeds"), "--db", str(building / "news.duckdb"),
                              "--no-progress"], building, env={"NEWSETL_WORKERS": "1"})
            assert result.returncode == 0, result.stdout + result.stderr
            building.rename(db.parent)
    return db


def seeds_copy(target: Path) -> Path:
    """A copy of the seed articles at `target`."""
    shutil.copytree(SEEDS, target)
    return target


def loaded_copy(scratch_warehouse, root: Path, db: Path | None = None) -> tuple[Path, Path]:
    """(seeds, db): a copy of the seeds under `root` and of the warehouse a full run of them made (at `db`,
    by default `root/news.duckdb`): a loaded warehouse without paying for a run."""
    seeds, db = seeds_copy(root / "seeds"), db or root / "news.duckdb"
    shutil.copy(scratch_warehouse(SEEDS), db)
    return seeds, db

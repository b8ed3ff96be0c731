"""A run plans once: the command's plan goes into the flow, so each seed file is read once and the code is
hashed once per run (the CLI's `main` in the test process, with the reads counted)."""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path
from unittest import mock

import pytest

import flows.sources as sources
from tests.helpers.cli import copy_expectations, run_cli_here
from tests.helpers.paths import ROOT, SEEDS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _counted_run(root: Path, seeds: Path, db: Path) -> dict:
    """`newsetl run` with every read of a seed file (`read_seed`) and every source file `code_version` reads
    counted by name; the code's hash is forgotten first, as a new process starts without it."""
    seeds_read, sources_hashed = collections.Counter(), collections.Counter()
    read_seed, read_bytes = sources.read_seed, Path.read_bytes

    def counted_read_seed(seed, *args, **kwargs):
        seeds_read[seed.seed_name] += 1
        return read_seed(seed, *args, **kwargs)

    def counted_read_bytes(path):
        if sys._getframe(1).f_code is sources.code_version.__code__:
            sources_hashed[str(path.relative_to(ROOT))] += 1
        return read_bytes(path)

    sources.running_code_version.cache_clear()
    with mock.patch.object(sources, "read_seed", counted_read_seed), mock.patch.object(Path, "read_bytes",
                                                                                        counted_read_bytes):
        result = run_cli_here(["run", "--seeds", str(seeds), "--db", str(db), "--no-progress", "--json"], root,
                              env={"NEWSETL_WORKERS": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return {"seeds": seeds_read, "sources": sources_hashed, "status": json.loads(result.stdout)["status"]}


def _source_files() -> set[str]:
    from flows.sources import code_files

    return {str(p.relative_to(ROOT)) for p in code_files(ROOT)}


def test_a_run_reads_each_seed_file_once_and_hashes_the_code_once(tmp_path):
    copy_expectations(tmp_path / "expectations")
    seeds, db = tmp_path / "seeds", tmp_path / "news.duckdb"
    seeds.mkdir()
    names = sorted(p.name for p in SEEDS.glob("*.txt"))[:2]
    for name in names:
        (seeds / name).write_bytes((SEEDS / name).read_bytes())
    first = _counted_run(tmp_path, seeds, db)
    (seeds / names[0]).write_text((seeds / names[0]).read_text(encoding="utf-8") + "\nOne line more.\n",
                                  encoding="utf-8")
    edited = _counted_run(tmp_path, seeds, db)
    unchanged = _counted_run(tmp_path, seeds, db)
    assert (first["status"], edited["status"], unchanged["status"]) == ("completed", "completed", "noop")
    for run in (first, edited, unchanged):
        assert run["seeds"] == dict.fromkeys(names, 1), run["seeds"]
        assert run["sources"] == dict.fromkeys(_source_files(), 1), run["sources"]

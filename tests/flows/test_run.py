"""A run plans once: the command's plan goes into the flow, so each seed file is read once and the code is
hashed once per run (real CLI in a process of its own, with the reads counted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import cli_env, copy_expectations
from tests.helpers.paths import ROOT, SEEDS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# `newsetl ARGV` in this process, with every read of a seed file (`read_seed`) and every source file that
# `code_version` reads counted, by name; the counts go to the file named by the first argument, as JSON.
COUNTING_CLI = """
import collections, json, pathlib, sys
import flows.sources as sources
seeds, sources_hashed = collections.Counter(), collections.Counter()
read_seed, read_bytes = sources.read_seed, pathlib.Path.read_bytes
root = pathlib.Path(sources.__file__).resolve().parent.parent

def counted_read_seed(seed, *args, **kwargs):
    seeds[seed.seed_name] += 1
    return read_seed(seed, *args, **kwargs)

def counted_read_bytes(path):
    if sys._getframe(1).f_code is sources.code_version.__code__:
        sources_hashed[str(path.relative_to(root))] += 1
    return read_bytes(path)

sources.read_seed, pathlib.Path.read_bytes = counted_read_seed, counted_read_bytes
from cli.main import main
try:
    code = main(sys.argv[2:])
finally:
    pathlib.Path(sys.argv[1]).write_text(json.dumps({"seeds": seeds, "sources": sources_hashed}))
sys.exit(code)
"""


def _counted_run(root: Path, seeds: Path, db: Path) -> dict:
    counts = root / "counts.json"
    result = subprocess.run([sys.executable, "-c", COUNTING_CLI, str(counts), "run", "--seeds", str(seeds), "--db",
                             str(db), "--no-progress", "--json"], cwd=ROOT, capture_output=True, text=True,
                            env={**cli_env(root), "NEWSETL_WORKERS": "1"}, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return {**json.loads(counts.read_text()), "status": json.loads(result.stdout)["status"]}


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

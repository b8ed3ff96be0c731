"""Scaling bench (issue 20): the default runner against a 2-worker Dask LocalCluster on a generated corpus,
and how the serial corpus stage (`resolve`) grows with the number of articles.

    .venv/bin/python bench/scaling.py [--sizes 100 1000 5000] [--dask-size 1000]

Corpora come from `run_bench.generate_corpus` (real ECB+ lines mixed per subtopic, so stories form).
Every run is the real CLI into a fresh warehouse; stage seconds and peak RSS are what the run recorded
in `runs`. Results go to bench/results/scaling-<time>.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_bench import ROOT, generate_corpus  # noqa: E402


def run(seeds: Path, db: Path, *extra: str, workers: int = 2) -> dict:
    env = dict(os.environ, PREFECT_HOME=str(ROOT / ".prefect"), NEWSETL_WORKERS=str(workers))
    started = time.perf_counter()
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "newsetl"), "run", "--seeds", str(seeds), "--db", str(db),
                             "--no-progress", *extra], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    con = duckdb.connect(str(db), read_only=True)
    try:
        stages, peak, loaded = con.execute("SELECT stage_seconds, peak_rss_mb, files_loaded FROM runs "
                                           "ORDER BY started_at DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return {"wall_s": round(wall, 1), "stages_s": json.loads(stages), "peak_rss_mb": peak, "loaded": loaded}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000])
    parser.add_argument("--dask-size", type=int, default=1000, help="corpus size for default vs Dask (0: skip)")
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "ecb-dev" / "docs.jsonl")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsetl-scaling-"))
    results: dict = {"resolve_growth": {}, "runner": {}}
    try:
        for size in sorted(set(args.sizes + ([args.dask_size] if args.dask_size else []))):
            seeds = work / f"corpus-{size}"
            generate_corpus(args.source, seeds, size)
            outcome = run(seeds, work / f"default-{size}.duckdb")
            results["resolve_growth"][size] = outcome
            print(f"{size:>6} articles  default  wall {outcome['wall_s']:>7.1f} s  resolve "
                  f"{outcome['stages_s'].get('resolve', 0):>6.2f} s  extract "
                  f"{outcome['stages_s'].get('read_clean_extract', 0):>7.1f} s  peak {outcome['peak_rss_mb']} MB",
                  flush=True)
            if size == args.dask_size:
                dask = run(seeds, work / f"dask-{size}.duckdb", "--task-runner", "dask")
                results["runner"] = {"articles": size, "default": outcome, "dask_2_workers": dask}
                print(f"{size:>6} articles  dask(2)  wall {dask['wall_s']:>7.1f} s  resolve "
                      f"{dask['stages_s'].get('resolve', 0):>6.2f} s  extract "
                      f"{dask['stages_s'].get('read_clean_extract', 0):>7.1f} s  peak {dask['peak_rss_mb']} MB "
                      f"(flow process)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "results" / f"scaling-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

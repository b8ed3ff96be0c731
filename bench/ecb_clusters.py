"""Story clustering on real articles: B-cubed F1 of story ids against the ECB+ gold event clusters.

    .venv/bin/python bench/ecb_clusters.py --corpus ../shared/ecb-dev [--sweep] [--pipeline]

Default: clusters the gold texts with `transforms.resolve.stories` directly (seconds). `--pipeline` runs the
whole flow on the texts (written to a temporary seeds folder) and scores `articles.story_id` from the
warehouse, so cleaning and everything else are included. `--sweep` prints F1 over link thresholds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.resolve.stories import LINK_THRESHOLD, cluster_stories  # noqa: E402


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster) against gold (item -> cluster)."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item, cluster in predicted.items():
        by_pred[cluster].add(item)
    for item, cluster in gold.items():
        by_gold[cluster].add(item)
    items = [i for i in gold if i in predicted]
    precision = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_pred[predicted[i]]) for i in items)
    recall = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in items)
    p, r = precision / len(items), recall / len(items)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def load(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "docs.jsonl").read_text().splitlines() if line.strip()]


def via_pipeline(docs: list[dict]) -> dict[str, str]:
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        seeds, db = Path(tmp) / "seeds", Path(tmp) / "ecb.duckdb"
        seeds.mkdir()
        for doc in docs:
            (seeds / f"{doc['doc_id']}.txt").write_text(doc["text"], encoding="utf-8")
        subprocess.run([sys.executable, "-m", "cli.main", "run", "--seeds", str(seeds), "--db", str(db)],
                       check=True, cwd=ROOT)
        rows = duckdb.connect(str(db), read_only=True).execute("select seed_name, story_id from articles").fetchall()
    return {name.removesuffix(".txt"): story for name, story in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "ecb-dev")
    parser.add_argument("--pipeline", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    docs = load(args.corpus)
    gold = {d["doc_id"]: d["subtopic"] for d in docs}
    ids, bodies = [d["doc_id"] for d in docs], [d["text"] for d in docs]
    if args.sweep:
        for threshold in (0.1, 0.15, 0.17, 0.19, 0.2, 0.21, 0.23, 0.25, 0.3):
            print(threshold, bcubed(cluster_stories(ids, [None] * len(ids), bodies, threshold), gold))
    predicted = via_pipeline(docs) if args.pipeline else cluster_stories(ids, [None] * len(ids), bodies)
    topic_baseline = bcubed({d["doc_id"]: str(d["topic"]) for d in docs}, gold)
    print(json.dumps({"documents": len(docs), "threshold": LINK_THRESHOLD, "mode": "pipeline" if args.pipeline
                      else "direct", "stories": len(set(predicted.values())), "bcubed": bcubed(predicted, gold),
                      "one_story_per_topic": topic_baseline}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

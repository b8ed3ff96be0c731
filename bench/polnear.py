"""Quotes and speakers on real political news: the shared PolNeAR scorer over a loaded warehouse.

    .venv/bin/python bench/polnear.py [--corpus ../shared/polnear-dev] [--db DB] [--errors]

Without `--db` the 84 dev articles are written to a temporary seeds folder and run through the real
CLI. The shared scorer (`../shared/eval/polnear_score.py`) stops with a TypeError on the one gold
attribution that has no content (`Attribution-no-source`); it is scored here on a copy of the gold
without content-less attributions, which changes no count (such an attribution can match no quote).
`--errors` lists the named-speaker misses the scorer counts, with the gold source and cue.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "his", "her", "their"}


def clean_gold(corpus: Path, target: Path, split: str) -> Path:
    """A copy of the gold JSONL without attributions that have no content."""
    target.mkdir(parents=True, exist_ok=True)
    out = target / f"polnear_{split}.jsonl"
    with out.open("w", encoding="utf-8") as sink:
        for line in (corpus / f"polnear_{split}.jsonl").open(encoding="utf-8"):
            record = json.loads(line)
            record["attributions"] = [a for a in record["attributions"] if a.get("content")]
            sink.write(json.dumps(record) + "\n")
    return target


def load_corpus(corpus: Path, work: Path) -> Path:
    seeds = work / "seeds"
    seeds.mkdir(parents=True)
    for text in sorted((corpus / "text").glob("*.txt")):
        shutil.copy(text, seeds / text.name)
    db = work / "news.duckdb"
    subprocess.run([str(Path(sys.executable).parent / "newsetl"), "run", "--seeds", str(seeds), "--db", str(db),
                    "--no-progress"], check=True)
    return db


def speaker_errors(db: Path, gold_dir: Path, split: str) -> list[str]:
    """The named-speaker misses, counted exactly as the shared scorer counts them."""
    sys.path.insert(0, str(SHARED / "eval"))
    from score import speaker_matches, tokens  # noqa: PLC0415

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""select a.seed_name, q.quote_text, coalesce(s.canonical_name, q.speaker_name),
                                 q.attribution_method
                          from quotes q join articles a using (article_id)
                          left join entities s on q.speaker_entity_id = s.entity_id""").fetchall()
    con.close()
    predicted: dict[str, list[tuple[str, str, str]]] = {}
    for seed, text, speaker, method in rows:
        predicted.setdefault(seed.rsplit(".", 1)[0], []).append((text, speaker or "", method))
    gold: dict[str, dict] = {}
    for line in (gold_dir / f"polnear_{split}.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        gold.setdefault(record["doc"], record)
    errors = []
    for doc, record in gold.items():
        for attribution in (a for a in record["attributions"] if a.get("direct_quote")):
            content = tokens(attribution["content"]["text"])
            hits = [p for p in predicted.get(doc, []) if (t := tokens(p[0])) and len(t & content) / len(t) >= 0.8]
            source = (attribution.get("source") or {}).get("text") or ""
            named = source and source.split()[0][:1].isupper() and source.lower() not in PRONOUNS \
                and not source.lower().startswith(("the ", "a ", "an "))
            if hits and named and not any(speaker_matches(speaker, source) for _, speaker, _ in hits):
                cue = (attribution.get("cue") or {}).get("text")
                errors.append(f"{doc}\n  gold {source!r} (cue {cue!r}); ours {[(s, m) for _, s, m in hits]}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED / "polnear-dev")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--db", type=Path, help="a warehouse already loaded with the corpus texts")
    parser.add_argument("--errors", action="store_true", help="list the named-speaker misses")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="polnear-") as tmp:
        work = Path(tmp)
        db = args.db or load_corpus(args.corpus, work)
        gold = clean_gold(args.corpus, work / "gold", args.split)
        scored = subprocess.run([sys.executable, str(SHARED / "eval" / "polnear_score.py"), str(db), str(gold),
                                 args.split], check=True, capture_output=True, text=True)
        print(scored.stdout.strip())
        if args.errors:
            for line in speaker_errors(db, gold, args.split):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

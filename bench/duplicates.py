"""Repost detection on real articles: which ECB+ pairs `transforms.resolve.duplicates` links, how many synthetic
reposts it finds, and how similar the seed articles are to each other.

    .venv/bin/python bench/duplicates.py --corpus ../shared/ecb-dev [--sweep] [--pairs] [--threshold T]

Bodies are cleaned as the pipeline cleans them (decode + clean, no spaCy). A synthetic repost of an ECB+
article is its raw text with another headline, a boilerplate line inserted and `--edits` words replaced;
recall is the share of them whose cleaned body links to the original's. `--pairs` prints every ECB+ pair
at or above the threshold with the words the two texts share in order (difflib), to judge them by eye.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.clean.document import clean_document  # noqa: E402
from transforms.clean.decode import Decoded, decode_bytes  # noqa: E402
from contract import REPOST_MIN_SIMILARITY  # noqa: E402
from transforms.resolve.duplicates import similar_pairs  # noqa: E402

BOILERPLATE = ("Follow us on Twitter for the latest updates.", "This story has been updated with more details.",
               "Reporting by our staff; editing by the news desk.")
REPLACEMENTS = ("reportedly", "officials", "Tuesday", "several", "new", "local")


def body(name: str, text: str) -> str:
    decoded = decode_bytes(text.encode("utf-8"))
    assert isinstance(decoded, Decoded), name
    return clean_document(name, "", len(text), decoded).body


def make_repost(text: str, rng: random.Random, edits: int) -> str:
    """The text under another headline, with a boilerplate line inserted and `edits` words replaced."""
    lines = text.split("\n")
    has_headline = len(lines) > 1 and len(lines[0].split()) < 25
    headline = "Exclusive: what we know about " + " ".join(lines[0].split()[-3:])
    lines = [headline, *(lines[1:] if has_headline else lines)]
    lines.insert(rng.randrange(2, len(lines) + 1), rng.choice(BOILERPLATE))
    words = "\n".join(lines).split(" ")
    for _ in range(edits):
        words[rng.randrange(len(headline.split(" ")), len(words))] = rng.choice(REPLACEMENTS)
    return " ".join(words)


def aligned_share(a: str, b: str) -> float:
    """Words the two texts share in order, as a share of the longer one."""
    wa, wb = a.split(), b.split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(len(wa), len(wb), 1)


def recall(docs: list[dict], bodies: list[str], edits: int, threshold: float) -> tuple[float, list[str]]:
    """Share of synthetic reposts linked to their original, and the ids of those missed. Articles with no
    body left after cleaning (a date and a headline) are not loaded, so not counted."""
    rng = random.Random(17)
    missed = []
    loaded = [(doc, original) for doc, original in zip(docs, bodies, strict=True) if original.strip()]
    for doc, original in loaded:
        repost = body(doc["doc_id"] + "-repost", make_repost(doc["text"], rng, edits))
        if not similar_pairs([original, repost], threshold):
            missed.append(doc["doc_id"])
    return 1 - len(missed) / len(loaded), missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "ecb-dev")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--threshold", type=float, default=REPOST_MIN_SIMILARITY)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--pairs", action="store_true")
    args = parser.parse_args()
    docs = [json.loads(line) for line in (args.corpus / "docs.jsonl").read_text().splitlines() if line.strip()]
    bodies = [body(d["doc_id"], d["text"]) for d in docs]
    thresholds = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6) if args.sweep else (args.threshold,)
    for threshold in thresholds:
        pairs = similar_pairs(bodies, threshold)
        rate, missed = recall(docs, bodies, args.edits, threshold)
        print(json.dumps({"threshold": threshold, "ecb_pairs_flagged": len(pairs),
                          "synthetic_recall": round(rate, 3), "missed": missed}))
    if args.pairs:
        for i, j, similarity in similar_pairs(bodies, args.threshold):
            shared = aligned_share(docs[i]["text"], docs[j]["text"])
            print(f"{similarity:.3f} {docs[i]['doc_id']:>12} {docs[j]['doc_id']:>12} in order: {shared:.2f}  "
                  f"{docs[i]['url']}  {docs[j]['url']}")
    seeds = sorted(args.seeds.glob("*.txt"))
    seed_bodies = [body(p.name, p.read_text(encoding="utf-8")) for p in seeds]
    print("seed pairs (Jaccard):", {f"{seeds[i].name[:3]}-{seeds[j].name[:3]}": s
                                    for i, j, s in similar_pairs(seed_bodies, 0.0)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

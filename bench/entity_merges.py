"""Cross-story entity merges without name evidence (issue 29): entities whose stories are joined only through
an acronym or a generic word ("MEB", "the Bank"), never through a name the stories share.

    .venv/bin/python bench/entity_merges.py --db WAREHOUSE [--examples 10]

The corpus stage runs again on the warehouse's staged rows (the code of this checkout, no extraction). For
each entity named in two stories or more, two stories are linked when their mentions of it share name
evidence: a name key that is not an acronym (`strong_keys` without its acronym keys), or, for a person, the
surname. An entity whose stories are not all linked that way was merged through something else; their
number is printed as JSON (`merged_without_name`, 0 is the bar), with examples.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from contract.window import DateWindow  # noqa: E402
from profile_corpus import staged_frames  # noqa: E402
from transforms.extract.mentions import name_key  # noqa: E402
from transforms.resolve.corpus import derive_corpus  # noqa: E402
from transforms.resolve.entities import strong_keys  # noqa: E402


def evidence(entity_type: str, surface: str) -> set[str]:
    """The name keys a mention gives that count as evidence across stories."""
    keys = {k for k in strong_keys(entity_type, [surface], []) if ":acr:" not in k}
    if entity_type == "PERSON" and (tokens := name_key(surface).split()):
        keys.add(f"surname:{tokens[-1]}")
    return keys


def _connected(nodes: set[str], edges: dict[str, set[str]]) -> bool:
    start = next(iter(nodes))
    seen, todo = {start}, [start]
    while todo:
        for other in edges[todo.pop()] - seen:
            seen.add(other)
            todo.append(other)
    return seen == nodes


def merges_without_name(frames: dict[str, pl.DataFrame]) -> list[dict]:
    """The entities spanning stories whose stories are not all linked by name evidence."""
    mentions = (frames["entity_mentions"].join(frames["articles"].select("article_id", "story_id"), on="article_id")
                .join(frames["entities"].select("entity_id", "canonical_name", "entity_type"), on="entity_id")
                .filter(pl.col("story_id").is_not_null()))
    found = []
    for (entity_id, name, entity_type), rows in mentions.group_by("entity_id", "canonical_name", "entity_type"):
        stories = set(rows["story_id"])
        if len(stories) < 2:
            continue
        keys_of: dict[str, set[str]] = defaultdict(set)
        surfaces_of: dict[str, set[str]] = defaultdict(set)
        for story, surface in rows.select("story_id", "surface").iter_rows():
            keys_of[story] |= evidence(entity_type, surface)
            surfaces_of[story].add(surface)
        edges = {s: {t for t in stories if t != s and keys_of[s] & keys_of[t]} for s in stories}
        if not _connected(stories, edges):
            found.append({"entity": name, "type": entity_type, "stories": len(stories),
                          "surfaces_by_story": sorted(sorted(v) for v in surfaces_of.values())})
    return sorted(found, key=lambda f: (-f["stories"], f["entity"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    frames = derive_corpus(staged_frames(args.db), DateWindow(date.today()))
    found = merges_without_name(frames)
    spanning = frames["entity_mentions"].join(frames["articles"].select("article_id", "story_id"), on="article_id") \
        .group_by("entity_id").agg(pl.col("story_id").n_unique().alias("n")).filter(pl.col("n") > 1).height
    print(json.dumps({"entities_across_stories": spanning, "merged_without_name": len(found),
                      "examples": found[:args.examples]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Writes the texts our gold needs into `bench/gold/texts/`, so the gold scores without `../shared`.

    .venv/bin/python bench/gold_texts.py [--shared ../shared]

Run it after adding a gold file. ECB+ texts are written as they are (`ecb/<doc_id>.txt`). An AEB page is
written without what no reader of the page sees (scripts other than JSON-LD metadata, styles, SVG,
`noscript`, frames, templates, comments): a fifth of its size, and the pipeline's body, dates and entity
mentions for it unchanged (checked when the texts were first written: `bench/gold/README.md`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import lxml.html
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gold_scoring import GOLD, GOLD_SETS, load_gold, text_path  # noqa: E402
from transforms.clean.decode import decode_bytes  # noqa: E402

UNSEEN_TAGS = frozenset({"script", "style", "svg", "noscript", "iframe", "template"})
KEPT_SCRIPT_TYPE = "application/ld+json"  # publication dates and authors live there


def _unseen(element) -> bool:
    if isinstance(element, etree._Comment):
        return True
    if not isinstance(element.tag, str) or element.tag.lower() not in UNSEEN_TAGS:
        return False
    return element.tag.lower() != "script" or (element.get("type") or "").lower() != KEPT_SCRIPT_TYPE


def visible_page(data: bytes) -> bytes:
    """The page as UTF-8 HTML without the parts no reader sees."""
    page = lxml.html.document_fromstring(decode_bytes(data).text)
    for element in [e for e in page.iter() if _unseen(e)]:
        element.drop_tree()
    return lxml.html.tostring(page, encoding="utf-8", doctype="<!DOCTYPE html>", method="html")


def source_bytes(seed: str, shared: Path, ecb: dict[str, str]) -> bytes:
    if seed.endswith(".html"):
        return visible_page((shared / "aeb-dev" / "html" / seed).read_bytes())
    return ecb[text_path(seed).stem].encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    docs = (args.shared / "ecb-dev" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    ecb = {d["doc_id"]: d["text"] for d in map(json.loads, filter(str.strip, docs))}
    seeds = sorted({gold["seed"] for name in GOLD_SETS for gold in load_gold(GOLD / name)})
    for seed in seeds:
        path = text_path(seed)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(source_bytes(seed, args.shared, ecb))
    total = sum(text_path(seed).stat().st_size for seed in seeds)
    print(f"{len(seeds)} gold seeds, {len({text_path(s) for s in seeds})} texts, {total / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

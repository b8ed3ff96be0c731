"""Order independence of the incremental warehouse (issue 29): a random sequence of additions, edits, deletions
and renames of real articles (ECB+ dev and PolNeAR dev), each followed by an incremental run; after every
step each table (staging included, run bookkeeping left out) equals what a run from scratch on the same
files gives, ids included.

Heavy (`make test-heavy`): a from-scratch run of a few hundred articles per step. The size, the number of
steps and the seed of the sequence are set by NEWSETL_PROPERTY_ARTICLES (300), NEWSETL_PROPERTY_STEPS (6)
and NEWSETL_PROPERTY_SEED (29); a failure prints the steps taken so far, to replay them.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli_here
from tests.helpers.paths import ROOT
from tests.helpers.scratch import build_scratch_warehouse
from tests.helpers.snapshots import table_snapshot

pytestmark = [pytest.mark.heavy, pytest.mark.e2e]
SHARED = ROOT.parent / "shared"
ARTICLES = int(os.environ.get("NEWSETL_PROPERTY_ARTICLES", "300"))
STEPS = int(os.environ.get("NEWSETL_PROPERTY_STEPS", "6"))
SEED = int(os.environ.get("NEWSETL_PROPERTY_SEED", "29"))
HELD_BACK = 0.15  # the share of the articles kept out of the first folder, for additions


def _real_articles() -> dict[str, str]:
    """File name -> text of the ECB+ dev and PolNeAR dev articles."""
    ecb, polnear = SHARED / "ecb-dev" / "docs.jsonl", SHARED / "polnear-dev" / "text"
    if not ecb.exists() or not polnear.is_dir():
        pytest.skip("the shared dev sets are not here")
    texts = {f"ecb_{doc['doc_id']}.txt": doc["text"]
             for doc in map(json.loads, ecb.read_text(encoding="utf-8").splitlines()) if doc.get("text")}
    texts.update({p.name: p.read_text(encoding="utf-8") for p in sorted(polnear.glob("*.txt"))})
    return texts


def _edit(text: str, rng: random.Random) -> str:
    """A small real-looking edit: a sentence added to a paragraph, a word changed, or a paragraph dropped."""
    paragraphs = text.split("\n\n")
    i = rng.randrange(len(paragraphs))
    kind = rng.choice(["add", "word", "drop"] if len(paragraphs) > 3 else ["add", "word"])
    if kind == "add":
        paragraphs[i] += " Officials said more details would follow on Monday."
    elif kind == "word":
        words = paragraphs[i].split(" ")
        words[rng.randrange(len(words))] = rng.choice(["reportedly", "Tuesday", "again", "Reuters"])
        paragraphs[i] = " ".join(words)
    else:
        del paragraphs[i]
    return "\n\n".join(paragraphs)


def _step(seeds: Path, pool: dict[str, str], rng: random.Random, step: int) -> str:
    """Apply one random change to the folder; what was done, in a line."""
    present = sorted(p.name for p in seeds.iterdir())
    absent = sorted(set(pool) - set(present))
    op = rng.choice(["add", "edit", "delete", "rename"] if absent else ["edit", "delete", "rename"])
    choices = absent if op == "add" else present
    names = rng.sample(choices, k=min(rng.randint(1, 4), len(choices)))
    for name in names:
        path = seeds / name
        if op == "add":
            path.write_text(pool[name], encoding="utf-8")
        elif op == "edit":
            path.write_text(_edit(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
        elif op == "delete":
            path.unlink()
        else:
            path.rename(seeds / f"moved{step}_{name}")
    return f"{op} {', '.join(names)}"


def test_any_sequence_of_changes_gives_what_a_run_from_scratch_gives(tmp_path, prefect_server):
    rng = random.Random(SEED)
    texts = _real_articles()
    pool = dict(sorted(rng.sample(sorted(texts.items()), k=min(ARTICLES, len(texts)))))
    seeds, db = tmp_path / "seeds", tmp_path / "news.duckdb"
    seeds.mkdir()
    for name in sorted(pool)[: int(len(pool) * (1 - HELD_BACK))]:
        (seeds / name).write_text(pool[name], encoding="utf-8")
    done = ["initial folder"]
    for step in range(STEPS + 1):
        if step:
            done.append(_step(seeds, pool, rng, step))
        result = run_cli_here(["run", "--seeds", str(seeds), "--db", str(db), "--no-progress"], tmp_path)
        assert result.returncode == 0, "\n".join(done) + "\n" + result.stdout + result.stderr
        scratch_root = tmp_path / f"scratch-{step}"
        scratch_root.mkdir()
        shutil.copytree(seeds, scratch_root / "seeds")
        incremental = table_snapshot(db)
        scratch = table_snapshot(build_scratch_warehouse(scratch_root, scratch_root / "seeds"))
        assert len(incremental["main.articles"]) > len(list(seeds.iterdir())) // 2  # the comparison has rows to compare
        differing = sorted(t for t in incremental.keys() | scratch.keys() if incremental.get(t) != scratch.get(t))
        assert not differing, f"after steps {done}: tables differ from a run from scratch: {differing}"

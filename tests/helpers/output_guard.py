"""Shared by the writer tests: prove a writer changed nothing outside its output folder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import contract
from warehouse.loader import LoadPlan, load


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (links not followed): relative path -> hash of the bytes, or the link's
    target, or "dir"."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[relative] = "dir"
            else:
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@contextmanager
def unchanged(*folders: Path) -> Iterator[None]:
    """Assert that nothing under `folders` changed (byte for byte) while the block ran."""
    before = {folder: tree_digest(folder) for folder in folders}
    yield
    for folder in folders:
        assert tree_digest(folder) == before[folder], f"{folder} changed"


def sibling(tmp_path: Path) -> Path:
    """A folder beside the output folder, with a file a writer must never touch."""
    folder = tmp_path / "sibling"
    (folder / "deep").mkdir(parents=True, exist_ok=True)
    (folder / "victim.txt").write_text("must survive\n")
    (folder / "deep" / "index.html").write_text("<p>not the report's</p>\n")
    return folder


def story_warehouse(db: Path, stories: dict[str, list[str]]) -> Path:
    """A contract warehouse holding `stories` (story id -> its article ids), each article a line of text."""
    now = datetime(2025, 3, 1, 12)
    articles = [{"article_id": article, "seed_name": f"{article}.txt", "content_sha256": "0" * 64,
                 "input_format": "text", "encoding": "utf-8", "body": f"The council met on Monday ({article}).",
                 "word_count": 6, "run_id": "r1", "ingested_at": now, "story_id": story, "title": f"About {story}"}
                for story, ids in stories.items() for article in ids]
    rows = [{"story_id": story, "title": f"About {story}", "article_count": len(ids), "source_count": 1}
            for story, ids in stories.items()]
    load(db, LoadPlan(frames={"articles": contract.rows_to_frame(articles, contract.ARTICLES),
                              "stories": contract.rows_to_frame(rows, contract.TABLES_BY_NAME["stories"])},
                      replace_article_ids=[a["article_id"] for a in articles]))
    return db

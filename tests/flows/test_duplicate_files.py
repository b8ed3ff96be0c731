"""A byte-identical copy of a seed under another file name, through the CLI (in the test process): it is loaded as a duplicate
of the original and changes none of the cross-article tables."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.helpers.cli import run_cli_here
from tests.helpers.paths import SEEDS
from tests.helpers.snapshots import table_snapshot
from transforms.article import article_id_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ORIGINAL = "002_f850821807b8f090.txt"
COPY = "009_copy_of_002.txt"  # sorts after the original: the original keeps its place
# Everything derived from what articles say: none of it may change when a copy is added.
ANALYSIS_TABLES = ("stories", "story_events", "events", "event_mentions", "conflicts", "entities", "entity_aliases",
                   "entity_mentions", "entity_roles", "article_entities", "quotes", "temporal_expressions")


@pytest.fixture(scope="module")
def runs(tmp_path_factory, scratch_warehouse):
    """(snapshot with the copy, snapshot of the seeds alone, db with the copy)."""
    root = tmp_path_factory.mktemp("duplicate-files")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    shutil.copy(seeds / ORIGINAL, seeds / COPY)
    db = root / "news.duckdb"
    result = run_cli_here(["run", "--seeds", str(seeds), "--db", str(db), "--no-progress"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    return table_snapshot(db), table_snapshot(scratch_warehouse(SEEDS)), db


def test_the_copy_is_loaded_as_a_duplicate_of_the_original(runs):
    _, _, db = runs
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT seed_name, article_id, duplicate_of, repost_of FROM articles "
                           "WHERE seed_name IN (?, ?) ORDER BY seed_name", [ORIGINAL, COPY]).fetchall()
        statuses = dict(con.execute("SELECT seed_name, status FROM manifest").fetchall())
        raw = con.execute("SELECT count(*) FROM raw_documents WHERE article_id = ?", [article_id_for(COPY)]).fetchone()
    finally:
        con.close()
    assert rows == [(ORIGINAL, article_id_for(ORIGINAL), None, None),
                    (COPY, article_id_for(COPY), article_id_for(ORIGINAL), None)]
    assert statuses[COPY] == "loaded" and raw == (1,)  # every file seen is accounted for


def test_the_copy_changes_no_count_and_no_derived_row(runs):
    with_copy, without, _ = runs
    for table in ANALYSIS_TABLES:
        assert with_copy[f"main.{table}"] == without[f"main.{table}"], table
    assert len(with_copy["main.articles"]) == len(without["main.articles"]) + 1

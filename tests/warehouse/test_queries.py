"""The query pack (`warehouse/queries/*.sql`): each file runs on a warehouse of the seed articles and answers
with the columns its comment promises; the README lists every file."""

from __future__ import annotations

import pytest

from cli.readonly import open_read_only
from tests.helpers.paths import SEEDS
from warehouse.docs import query_files, render

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

COLUMNS = {
    "timeline.sql": ["story_id", "story_title", "event_date", "date_precision", "date_basis", "event_type", "modality",
                     "source_count", "article_count", "disputed", "conflict_count", "evidence"],
    "top_speakers.sql": ["story_id", "speaker", "speaker_type", "quotes", "articles", "first_quotes"],
    "disputed_claims.sql": ["story_id", "event_type", "event_date", "attribute", "kind", "value_a", "source_a",
                            "evidence_a", "value_b", "source_b", "evidence_b"],
    "entity_cooccurrence.sql": ["entity_a", "type_a", "entity_b", "type_b", "articles"],
    "articles_per_outlet_per_day.sql": ["outlet", "day", "articles"],
}


@pytest.fixture(scope="module")
def seeds_db(scratch_warehouse):
    """The seeds warehouse as `newsetl sql` opens it (read-only and sealed): the pack must run there."""
    con = open_read_only(scratch_warehouse(SEEDS))
    yield con
    con.close()


def test_every_query_file_is_known_and_documented():
    assert sorted(p.name for p in query_files()) == sorted(COLUMNS)
    assert all(f"(queries/{name})" in render() for name in COLUMNS)


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_each_query_runs_and_answers_with_its_columns(seeds_db, name):
    [path] = [p for p in query_files() if p.name == name]
    result = seeds_db.execute(path.read_text(encoding="utf-8"))
    assert [d[0] for d in result.description] == COLUMNS[name]
    assert result.fetchall(), f"{name} found nothing in the seed warehouse"


def test_the_pack_agrees_with_the_tables(seeds_db):
    [timeline] = [p for p in query_files() if p.name == "timeline.sql"]
    rows = seeds_db.execute(timeline.read_text(encoding="utf-8")).fetchall()
    assert len(rows) == seeds_db.execute("SELECT count(*) FROM story_events").fetchone()[0]
    [outlets] = [p for p in query_files() if p.name == "articles_per_outlet_per_day.sql"]
    counted = sum(r[2] for r in seeds_db.execute(outlets.read_text(encoding="utf-8")).fetchall())
    assert counted == seeds_db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0]

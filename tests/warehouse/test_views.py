"""The analyst views over the base tables, on a small invented warehouse: who said what (scare quotes left out),
the timeline of what happened (and of what is planned too), disputed claims, and mentions per entity and article."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

import contract
from warehouse.schema import ensure_schema
from warehouse.views import VIEWS


def _insert(con: duckdb.DuckDBPyConnection, table: contract.Table, rows: list[dict]) -> None:
    con.register("_rows", contract.rows_to_frame(rows, table).to_arrow())
    con.execute(f"INSERT INTO {table.name} BY NAME SELECT * FROM _rows")
    con.unregister("_rows")


def _article(article_id: str, title: str) -> dict:
    return {"article_id": article_id, "seed_name": f"{article_id}.txt", "content_sha256": "0" * 64,
            "input_format": "text", "encoding": "utf-8", "body": "…", "word_count": 1, "run_id": "r1",
            "ingested_at": datetime(2026, 1, 5), "story_id": "s1", "title": title, "published_date": date(2026, 1, 2)}


def _quote(quote_id: str, status: str, speaker: str | None, entity: str | None) -> dict:
    return {"quote_id": quote_id, "article_id": "a1", "quote_text": "We will sail", "speaker_name": speaker,
            "speaker_entity_id": entity, "is_partial": False, "quote_kind": "direct", "attribution_method": "explicit",
            "confidence": 0.9, "speaker_status": status, "start_char": 0, "end_char": 12}


def _story_event(event_id: str, modality: str, day: date | None) -> dict:
    return {"story_event_id": f"se-{event_id}", "story_id": "s1", "event_type": "talks", "article_count": 1,
            "source_count": 1, "event_count": 1, "disputed": False, "modality": modality, "event_id": event_id,
            "evidence": "…", "event_date": day, "date_precision": "day" if day else None}


def _event(event_id: str, article_id: str, evidence: str) -> dict:
    return {"event_id": event_id, "article_id": article_id, "event_type": "talks", "trigger": "talks",
            "date_inferred": False, "modality": "happened", "evidence": evidence, "start_char": 0,
            "end_char": len(evidence), "mention_count": 1}


def _mention(mention_id: str, surface: str) -> dict:
    return {"mention_id": mention_id, "article_id": "a1", "entity_id": "e1", "surface": surface, "start_char": 0,
            "end_char": len(surface), "text_field": "body", "mention_kind": "name", "local_key": 0}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    _insert(con, contract.ARTICLES, [_article("a1", "Ferry talks resume"),
                                     {**_article("a2", "Talks on ferries"), "source_domain": "harbour.example"}])
    _insert(con, contract.STORIES, [{"story_id": "s1", "title": "Ferry strike", "article_count": 1,
                                     "source_count": 1}])
    _insert(con, contract.ENTITIES, [{"entity_id": "e1", "canonical_name": "Mira Kovac", "entity_type": "PERSON",
                                      "mention_count": 3, "article_count": 1}])
    _insert(con, contract.QUOTES, [_quote("q1", "attributed", "Kovac", "e1"), _quote("q2", "attributed", "a union aide",
                                                                                   None),
                                   _quote("q3", "scare_quote", None, None)])
    _insert(con, contract.STORY_EVENTS, [_story_event("ev1", "happened", date(2026, 1, 2)),
                                         _story_event("ev2", "planned", date(2026, 2, 1)),
                                         _story_event("ev3", "happened", None)])
    _insert(con, contract.EVENTS, [_event("ea", "a1", "talks on Friday"), _event("eb", "a2", "talks on Saturday")])
    _insert(con, contract.CONFLICTS, [{"conflict_id": "c1", "story_id": "s1", "story_event_id": "se-ev1",
                                       "attribute": "event_date", "kind": "different_date", "value_a": "2026-01-02",
                                       "article_a": "a1", "event_a": "ea", "value_b": "2026-01-03", "article_b": "a2",
                                       "event_b": "eb"}])
    _insert(con, contract.ENTITY_MENTIONS, [_mention("m1", "Kovac"), _mention("m2", "Mira Kovac"),
                                            _mention("m3", "Kovac")])
    yield con
    con.close()


def test_every_view_is_described_and_answers_on_a_new_warehouse():
    new = duckdb.connect(":memory:")
    ensure_schema(new)
    for name, (description, _) in VIEWS.items():
        assert description.strip(), name
        assert new.execute(f"SELECT * FROM {name}").fetchall() == [], name
    new.close()


def test_who_said_what_names_the_speaker_and_leaves_scare_quotes_out(con):
    rows = con.execute("SELECT quote_id, speaker, speaker_type, story_id, title FROM who_said_what "
                       "ORDER BY quote_id").fetchall()
    assert rows == [("q1", "Mira Kovac", "PERSON", "s1", "Ferry talks resume"),  # the resolved entity's name
                    ("q2", "a union aide", None, "s1", "Ferry talks resume")]


def test_the_timeline_holds_what_happened_dated_first_and_timeline_all_the_plans_too(con):
    happened = con.execute("SELECT event_id, story_title, conflict_count FROM timeline").fetchall()
    assert happened == [("ev1", "Ferry strike", 1), ("ev3", "Ferry strike", 0)]  # undated last
    assert [r[0] for r in con.execute("SELECT event_id, modality FROM timeline_all").fetchall()] == ["ev1", "ev2", "ev3"]


def test_a_disputed_claim_shows_both_sides_with_their_source_and_evidence(con):
    rows = con.execute("SELECT event_type, value_a, source_a, evidence_a, value_b, source_b, evidence_b "
                       "FROM disputed_claims").fetchall()
    assert rows == [("talks", "2026-01-02", "a1.txt", "talks on Friday", "2026-01-03", "harbour.example",
                     "talks on Saturday")]  # the outlet where known, else the file


def test_mentions_are_counted_per_entity_and_article_with_the_forms_used(con):
    assert con.execute("SELECT canonical_name, seed_name, mentions, surfaces FROM entity_article_mentions").fetchall() \
        == [("Mira Kovac", "a1.txt", 3, ["Kovac", "Mira Kovac"])]

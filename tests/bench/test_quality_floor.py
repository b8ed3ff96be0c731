"""The quality floor: the real pipeline (decode, clean, extract per article, then the cross-article resolve
stage) on the committed texts of our own gold (`bench/gold`), scored by `bench/gold_scoring.py` as `make dates`
and `make entities` score them. A score below its floor fails `make test`, as trafilatura's evaluation gate
does. Needs no `../shared`: a clean clone runs it."""

import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime, time
from functools import cache

import polars as pl
import pytest

from bench.gold_scoring import (FLOORS, GOLD, gold_inputs, load_gold, mentions_with_entities, score_dates,
                                score_entities, score_event_dates)
from flows import stages
from flows.settings import Settings
from flows.sources import RawFile
from tests.helpers.paths import ROOT

# The run's day sets the window of plausible dates; fixed (the day the floors were measured) so the test does
# not read the clock. The gold articles are from 2005-2019: any day since 2022 gives the same window for them.
RUN_DAY = date(2026, 12, 7)
DATE_SETS = ("dates", "dates-heldout")


def run_pipeline(gold_set: str) -> tuple[list[dict], dict[str, pl.DataFrame]]:
    """The gold of one folder and the frames the pipeline makes of its articles, all of them one corpus (as
    when the benches load them into a warehouse of their own)."""
    golds = load_gold(GOLD / gold_set)
    files = [RawFile(seed, data, hashlib.sha256(data).hexdigest(), len(data)) for seed, data in gold_inputs(golds)]
    settings = Settings()
    frames, rejected = stages.process_batch(files, settings.spacy_model, "floor", datetime.combine(RUN_DAY, time()))
    assert rejected == []
    resolved, unresolved = stages.resolve_batch(frames, settings.date_window(RUN_DAY))
    assert unresolved == []
    return golds, resolved


@pytest.fixture(scope="module")
def pipeline() -> Callable[[str], tuple[list[dict], dict[str, pl.DataFrame]]]:
    return cache(run_pipeline)


def below_floor(scores: dict, floors: dict[str, float]) -> dict[str, tuple[float, float]]:
    return {metric: (scores[metric], floor) for metric, floor in floors.items() if scores[metric] < floor}


@pytest.mark.parametrize("gold_set", DATE_SETS)
def test_date_expressions_resolve_at_least_as_well_as_their_floor(pipeline, gold_set):
    golds, frames = pipeline(gold_set)
    scores = score_dates(golds, frames["articles"], frames["temporal_expressions"])
    misses = "\n".join(f"{seed}: {d['text']!r} want {d['value']} {d['precision']}, {why}"
                       for seed, d, why in scores["errors"])
    assert below_floor(scores, FLOORS[gold_set]) == {}, f"(score, floor) below the floor; misses:\n{misses}"


def test_events_found_carry_a_date_and_the_right_one_at_least_as_often_as_their_floor(pipeline):
    golds, frames = pipeline("dates")
    scores = score_event_dates(golds, frames["articles"], frames["events"])
    wrong = "\n".join(f"{seed}: {e['type']} want {e['date']}, got {r['event_date']} {r['date_basis']}"
                      for seed, e, r in scores["errors"])
    assert below_floor(scores, FLOORS["event-dates"]) == {}, f"(score, floor) below the floor; wrong:\n{wrong}"


def test_entities_are_found_named_and_merged_at_least_as_well_as_their_floor(pipeline):
    golds, frames = pipeline("entities")
    scores = score_entities(golds, frames["articles"],
                            mentions_with_entities(frames["entity_mentions"], frames["entities"]))
    assert scores["articles_found"] == 1.0
    assert below_floor(scores, FLOORS["entities"]) == {}, f"(score, floor) below the floor; all scores: {scores}"


def test_the_floors_are_stated_in_the_quality_docs():
    """docs/quality.md's floor section gives every floor (the values in `bench/gold_scoring.py` are the ones
    that count)."""
    text = (ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    section = text[text.index("## The floor test"):]
    section = section[:section.index("\n## ")]
    stated = set(re.findall(r"\d\.\d+", section))
    assert {str(floor) for floors in FLOORS.values() for floor in floors.values()} <= stated

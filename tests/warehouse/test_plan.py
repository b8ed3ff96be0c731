"""What one run writes: which articles' rows are replaced, retracted, staged and dropped from staging, from what
the flow knows about the run's articles."""

import polars as pl

from warehouse.plan import build_load_plan


def _frame(*article_ids: str) -> pl.DataFrame:
    return pl.DataFrame({"article_id": list(article_ids), "n": list(range(len(article_ids)))},
                        schema={"article_id": pl.String, "n": pl.Int64})


def test_a_run_replaces_what_it_loads_and_retracts_what_is_gone():
    kept = {"articles": _frame("a", "b"), "runs": pl.DataFrame({"run_id": ["r1"]})}
    fresh = {"articles": _frame("a", "c"), "quotes": _frame("a", "a", "c")}
    plan = build_load_plan(kept, fresh, existing_ids=["a", "x", "b"], processed_ids={"a", "c"}, removed_ids={"gone"},
                           reused_ids=["b", "y"])
    assert plan.frames is kept
    assert plan.replace_article_ids == ["a", "b"]
    assert plan.retract_article_ids == ["x"]  # in the warehouse before, not loaded now
    # staged for later runs: what was extracted now and loaded ("c" was processed but quarantined)
    assert {name: frame["article_id"].to_list() for name, frame in plan.staging_frames.items()} == {
        "articles": ["a"], "quotes": ["a", "a"]}
    # staging rows that no longer hold: re-extracted, of a removed file, or reused but not loaded any more
    assert plan.staging_drop_ids == ["a", "c", "gone", "y"]
    assert plan.rebuild is False


def test_a_rebuild_is_carried_into_the_plan_and_an_empty_run_writes_no_stage():
    plan = build_load_plan({"articles": _frame()}, {}, existing_ids=["a"], processed_ids=set(), removed_ids={"a"},
                           reused_ids=[], rebuild=True)
    assert plan.rebuild and plan.staging_frames == {}
    assert plan.replace_article_ids == [] and plan.retract_article_ids == ["a"] and plan.staging_drop_ids == ["a"]

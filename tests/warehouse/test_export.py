"""The export's plan and manifest (`warehouse.export`), pure: which tables are split by month, where each
partition goes, what a re-export writes, keeps and removes, and what the manifest says."""

from __future__ import annotations

import contract
from warehouse.export import (Partition, build_manifest, is_partitioned, partition_path, plan_export,
                              previous_hashes)


def test_article_level_tables_are_those_with_an_article_id():
    partitioned = {t.name for t in contract.TABLES if is_partitioned(t)}
    assert {"articles", "quotes", "entity_mentions", "event_mentions"} <= partitioned
    assert not {"stories", "entities", "story_events", "conflicts", "runs"} & partitioned


def test_partition_paths_are_hive_style():
    assert partition_path("articles", "2025-11") == "articles/month=2025-11/part-0.parquet"
    assert partition_path("articles", "unknown") == "articles/month=unknown/part-0.parquet"
    assert partition_path("stories", None) == "stories/part-0.parquet"


def _manifest(*parts: Partition) -> dict:
    return build_manifest("run-1", contract.TABLES, list(parts), "2025-01-01T00:00:00+00:00")


def test_plan_writes_changed_keeps_same_removes_gone():
    old = [Partition("articles", "2025-10", 2, "a"), Partition("articles", "2025-11", 1, "b"),
           Partition("stories", None, 3, "c")]
    new = [Partition("articles", "2025-11", 2, "b2"), Partition("articles", "2025-12", 1, "d"),
           Partition("stories", None, 3, "c")]
    plan = plan_export(new, _manifest(*old), present={p.path for p in old})
    assert [p.path for p in plan.write] == ["articles/month=2025-11/part-0.parquet",
                                            "articles/month=2025-12/part-0.parquet"]
    assert [p.path for p in plan.keep] == ["stories/part-0.parquet"]
    assert plan.remove == ["articles/month=2025-10/part-0.parquet"]


def test_plan_rewrites_a_missing_file_and_everything_without_a_manifest():
    parts = [Partition("stories", None, 3, "c")]
    assert plan_export(parts, _manifest(*parts), present=set()).write == parts
    assert plan_export(parts, None, present={"stories/part-0.parquet"}).write == parts
    assert plan_export(parts, {"format": 999}, present={"stories/part-0.parquet"}).write == parts
    assert previous_hashes({"not": "a manifest"}) == {}


def test_manifest_lists_run_counts_and_schema_from_the_contract():
    manifest = _manifest(Partition("articles", "2025-11", 2, "x"), Partition("articles", "unknown", 1, "y"))
    assert manifest["run_id"] == "run-1"
    assert set(manifest["tables"]) == {t.name for t in contract.TABLES}
    articles = manifest["tables"]["articles"]
    assert articles["rows"] == 3 and articles["partitioned_by"] == "month"
    assert [p["rows"] for p in articles["partitions"]] == [2, 1]
    assert articles["columns"][0] == {"name": "article_id", "type": "VARCHAR", "nullable": False}
    assert [c["name"] for c in articles["columns"]] == contract.ARTICLES.column_names
    assert manifest["tables"]["stories"]["partitioned_by"] is None
    assert "_warehouse_meta" not in manifest["tables"]

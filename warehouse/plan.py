"""What one run writes: the `LoadPlan` built from the run's validated frames and its manifest diff.

Pure: the flow hands over what it knows (which articles were processed, kept, reused or removed) and gets
back the one plan the loader carries out in one transaction.
"""

from __future__ import annotations

import polars as pl

from warehouse.loader import LoadPlan


def build_load_plan(kept: dict[str, pl.DataFrame], fresh: dict[str, pl.DataFrame], existing_ids: list[str],
                    processed_ids: set[str], removed_ids: set[str], reused_ids: list[str],
                    rebuild: bool = False) -> LoadPlan:
    """`kept`: every table's rows to write (analyst tables, quarantine, manifest, runs); `fresh`: this
    run's extraction output, staged for later runs; `existing_ids`: articles in the warehouse before the
    run; `processed_ids`: articles (re)processed now; `removed_ids`: articles of files gone from the seeds
    folder; `reused_ids`: unchanged articles whose staged rows were reused; `rebuild`: the derived tables are
    re-made empty first (every file was processed)."""
    loaded = kept["articles"]["article_id"].to_list()
    loaded_set = set(loaded)
    staging = {name: frame.filter(pl.col("article_id").is_in(sorted(processed_ids & loaded_set)))
               for name, frame in fresh.items()}
    return LoadPlan(frames=kept, replace_article_ids=loaded,
                    retract_article_ids=sorted(set(existing_ids) - loaded_set),
                    staging_frames=staging,
                    staging_drop_ids=sorted(processed_ids | removed_ids | (set(reused_ids) - loaded_set)),
                    rebuild=rebuild)

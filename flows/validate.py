"""Validation gate: every frame is checked by its Great Expectations suite before load.

Rows that fail go to `quarantine` with the expectation and the reason, the rest load. An `articles` row
that fails takes all of its article's rows with it (the article is untrustworthy as a whole).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import polars as pl

from expectations.checks import CHECK_PREFIX, with_checks
from expectations.suites import VALIDATED_TABLES, build_suite
from transforms.article import stable_id
from warehouse import contract

log = logging.getLogger(__name__)
DATASOURCE = "frames"


@dataclass
class ValidationOutcome:
    frames: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    results: list[dict[str, Any]] = field(default_factory=list)
    data_docs: str | None = None


def _context(project_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    bars = context.variables.progress_bars
    globally = bars.get("globally") if isinstance(bars, dict) else getattr(bars, "globally", None)
    if globally is not False:
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        context.variables.save()
    return context


def _specs(configurations) -> list[tuple[str, dict]]:
    return [(c.type, {k: v for k, v in c.kwargs.items() if k != "batch_id"}) for c in configurations]


def _suite_for(context, table: contract.Table):
    """The stored suite if it still matches the contract; rewritten only when the contract changed."""
    from great_expectations.exceptions import DataContextError

    wanted = build_suite(table)
    try:
        stored = context.suites.get(table.name)
        if _specs(stored.expectation_configurations) == _specs(e.configuration for e in wanted.expectations):
            return stored
        context.suites.delete(table.name)
    except DataContextError:
        pass
    return context.suites.add(wanted)


def _validation_definition(context, table: contract.Table, suite):
    import great_expectations as gx
    from great_expectations.exceptions import DataContextError

    source = context.data_sources.add_or_update_pandas(DATASOURCE) if DATASOURCE not in context.data_sources.all() \
        else context.data_sources.get(DATASOURCE)
    try:
        asset = source.get_asset(table.name)
    except LookupError:
        asset = source.add_dataframe_asset(table.name)
    try:
        batch = asset.get_batch_definition("whole")
    except (KeyError, LookupError, ValueError):
        batch = asset.add_batch_definition_whole_dataframe("whole")
    try:
        definition = context.validation_definitions.get(table.name)
        if definition.suite.name == suite.name:
            return definition
        context.validation_definitions.delete(table.name)
    except DataContextError:
        pass
    return context.validation_definitions.add(gx.ValidationDefinition(name=table.name, data=batch, suite=suite))


def _failing_rows(result, height: int) -> dict[int, list[tuple[str, str]]]:
    """Row position -> [(check name, reason)] for every failed expectation."""
    failures: dict[int, list[tuple[str, str]]] = {}
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        column = config.kwargs.get("column") or ",".join(config.kwargs.get("column_list") or [])
        name = f"{config.type}({column})" if column else config.type
        indexes = item.result.get("unexpected_index_list")
        if indexes is None:  # table-level expectation: the whole frame is wrong
            observed = item.result.get("observed_value") or item.result.get("details")
            indexes, reason = range(height), f"{config.type} failed: {observed}"
        else:
            shown = [v for v in (item.result.get("partial_unexpected_list") or [])[:3]]
            reason = f"{column or 'row'} failed {config.type}" + (f" (e.g. {shown})" if shown else "")
            if column.startswith(CHECK_PREFIX):
                reason = f"{column.removeprefix(CHECK_PREFIX).replace('_', ' ')} is false"
        for index in indexes:
            failures.setdefault(int(index), []).append((name, reason))
    return failures


def _key_of(table: contract.Table, row: dict) -> str:
    return "|".join(str(row.get(k)) for k in table.primary_key)


def _quarantine_rows(table: contract.Table, frame: pl.DataFrame, failures: dict[int, list[tuple[str, str]]],
                     run_id: str, seed_names: dict[str, str], now: datetime) -> list[dict]:
    rows = []
    records = frame.select(table.column_names).to_dicts()
    for index, problems in sorted(failures.items()):
        record = records[index]
        key = _key_of(table, record)
        for check, reason in problems:
            rows.append({
                "quarantine_id": stable_id(run_id, table.name, key, check), "run_id": run_id,
                "table_name": table.name, "record_key": key,
                "seed_name": seed_names.get(record.get("article_id") or ""), "check_name": check, "reason": reason,
                "row_json": json.dumps(record, default=str, ensure_ascii=False), "quarantined_at": now,
            })
    return rows


def validate_frames(frames: dict[str, pl.DataFrame], project_dir: Path, run_id: str,
                    build_docs: bool = True) -> ValidationOutcome:
    """Run every table's suite; split each frame into loadable rows and quarantine rows."""
    context = _context(project_dir)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    articles = frames.get("articles", contract.empty_frame(contract.ARTICLES))
    seed_names = dict(zip(articles["article_id"].to_list(), articles["seed_name"].to_list()))
    quarantine: list[dict] = []
    results: list[dict] = []
    failed_rows: dict[str, set[int]] = {}
    for table in VALIDATED_TABLES:
        suite = _suite_for(context, table)  # kept in sync with the contract even when there is nothing to check
        frame = frames.get(table.name)
        if frame is None or frame.height == 0:
            continue
        checked = with_checks(table, frame, frames)
        definition = _validation_definition(context, table, suite)
        result = definition.run(batch_parameters={"dataframe": checked.to_pandas()},
                                result_format={"result_format": "COMPLETE"})
        for item in result.results:
            results.append({"table_name": table.name, "expectation": item.expectation_config.type,
                            "kwargs": json.dumps({k: v for k, v in item.expectation_config.kwargs.items()
                                                  if k != "batch_id"}, default=str),
                            "success": bool(item.success),
                            "unexpected_count": int(item.result.get("unexpected_count") or 0)})
        failures = _failing_rows(result, frame.height)
        if failures:
            failed_rows[table.name] = set(failures)
            quarantine.extend(_quarantine_rows(table, frame, failures, run_id, seed_names, now))
    bad_articles = set()
    if "articles" in failed_rows:
        bad_articles = {articles["article_id"][i] for i in failed_rows["articles"]}
    kept: dict[str, pl.DataFrame] = {}
    for name, frame in frames.items():
        table = contract.TABLES_BY_NAME.get(name)
        mask = pl.Series([True] * frame.height, dtype=pl.Boolean)
        if name in failed_rows:
            mask = pl.Series([i not in failed_rows[name] for i in range(frame.height)], dtype=pl.Boolean)
        if bad_articles and table is not None and "article_id" in frame.columns and table.write == "article":
            cascaded = frame["article_id"].is_in(list(bad_articles)) & mask
            if name != "articles" and cascaded.any():
                quarantine.extend(_quarantine_rows(
                    table, frame, {i: [("article_quarantined", "its article failed validation")]
                                   for i, hit in enumerate(cascaded) if hit}, run_id, seed_names, now))
            mask = mask & ~frame["article_id"].is_in(list(bad_articles))
        kept[name] = frame.filter(mask)
    docs = None
    if build_docs:
        context.build_data_docs()
        urls = context.get_docs_sites_urls()
        docs = urls[0]["site_url"] if urls else None
    quarantine_frame = (pl.DataFrame(quarantine, schema=contract.polars_schema(contract.QUARANTINE)) if quarantine
                        else contract.empty_frame(contract.QUARANTINE))
    return ValidationOutcome(kept, quarantine_frame, results, docs)

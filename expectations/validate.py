"""Validation gate: every frame is checked by its Great Expectations suite before load.

Rows that fail go to `quarantine` with the expectation and the reason, the rest load. An `articles` row
that fails takes all of its article's rows with it (the article is untrustworthy as a whole).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from expectations.checks import CHECK_PREFIX, fk_check_name, repair_fields, with_checks, with_fk_checks
from expectations.suites import VALIDATED_TABLES, build_suite
from transforms.article import Rejected, stable_id
from contract.window import DateWindow
import contract

log = logging.getLogger(__name__)
DATASOURCE = "frames"
KEEP_RESULT_RUNS = 10  # GX stores every run's results under the project; this many are kept per table


@dataclass
class ValidationOutcome:
    frames: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    results: list[dict[str, Any]] = field(default_factory=list)
    data_docs: str | None = None
    bad_articles: list[str] = field(default_factory=list)


@lru_cache(maxsize=4)
def _context(project_dir: Path):
    """The file-backed GX context (cached: opening it costs a second; `warm_up` opens it early)."""
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


def _uncommitted(project_dir: Path) -> Path:
    """Where the file-backed GX project under `project_dir` keeps its results and Data Docs."""
    return Path(project_dir).resolve() / "gx" / "uncommitted"


def site_url(project_dir: Path) -> str:
    """The address of GX's own Data Docs site of the project."""
    return (_uncommitted(project_dir) / "data_docs" / "local_site" / "index.html").as_uri()


def prepare(project_dir: Path) -> None:
    """Open the project and load every suite and validation definition (what the first run would do)."""
    open_quietly(project_dir)
    try:
        context = _context(project_dir)
        for table in VALIDATED_TABLES:
            _validation_definition(context, table, _suite_for(context, table))
    except Exception:  # noqa: BLE001
        log.exception("GX warm-up failed")


def open_quietly(project_dir: Path) -> None:
    """Open the GX project (the import and the project read are the fixed cost); an error is logged, and
    reported again by validation itself."""
    try:
        _context(project_dir)
    except Exception:  # noqa: BLE001 - validation opens it again and reports the error there
        log.exception("GX warm-up failed")


def _column_of(config) -> str:
    return config.kwargs.get("column") or ",".join(config.kwargs.get("column_list") or [])


def _failing_rows(detailed: list, height: int) -> dict[int, list[tuple[str, str]]]:
    """Row position -> [(check name, reason)] for every failed expectation (results in COMPLETE format)."""
    failures: dict[int, list[tuple[str, str]]] = {}
    for item in detailed:
        config = item.expectation_config
        column = _column_of(config)
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


def _presence_of_lists(table: contract.Table, checked: pl.DataFrame) -> pl.DataFrame:
    """List columns as their lengths, a null kept null. The suites check a list column for presence only
    (`expectation_specs`), and GX fingerprints every batch by hashing it: a list column makes pandas' hash
    fail over to pickling the whole frame, a third of validation's time at 10,000 articles."""
    lists = [c.name for c in table.columns if isinstance(checked.schema.get(c.name), pl.List)
             and c.allowed is None and c.min_value is None]
    return checked.with_columns(pl.col(name).list.len() for name in lists) if lists else checked


def _validate_table(context, table: contract.Table, checked: pl.DataFrame, run_identifier):
    """Run the table's suite. Pass/fail for every expectation first (cheap), then the failing rows of the
    failed ones only (the expensive COMPLETE format is needed for them alone)."""
    suite = _suite_for(context, table)
    definition = _validation_definition(context, table, suite)
    data = _presence_of_lists(table, checked).to_pandas()
    result = definition.run(batch_parameters={"dataframe": data}, result_format={"result_format": "BOOLEAN_ONLY"},
                            run_id=run_identifier)
    failed = [item for item in result.results if not item.success]
    detailed = []
    if failed:
        batch = definition.batch_definition.get_batch(batch_parameters={"dataframe": data})
        by_config = {(e.expectation_type, json.dumps(e.configuration.kwargs, sort_keys=True, default=str)): e
                     for e in suite.expectations}
        for item in failed:
            config = item.expectation_config
            key = (config.type, json.dumps(config.kwargs, sort_keys=True, default=str))
            expectation = by_config.get(key)
            if expectation is None:
                expectation = next(e for e in suite.expectations if e.expectation_type == config.type
                                   and _column_of(e.configuration) == _column_of(config))
            detailed.append(batch.validate(expectation, result_format={"result_format": "COMPLETE"}))
    return result, detailed


def _key_of(table: contract.Table, row: dict) -> str:
    return "|".join(str(row.get(k)) for k in table.primary_key)


def file_quarantine(rejections: list[Rejected], run_id: str, now: datetime) -> pl.DataFrame:
    """The `quarantine` rows of rejected files (`table_name = files`), one per `Rejected`."""
    return contract.rows_to_frame([quarantine_row(run_id, "files", r.seed_name, r.seed_name, r.check, r.reason, None, now)
                                   for r in rejections], contract.QUARANTINE)


def quarantine_row(run_id: str, table_name: str, record_key: str, seed_name: str | None, check: str, reason: str,
                   record: dict | None, now: datetime) -> dict:
    """One `quarantine` row: a rejected file (`table_name = files`, no record) or a rejected table row."""
    return {"quarantine_id": stable_id(run_id, table_name, record_key, check), "run_id": run_id,
            "table_name": table_name, "record_key": record_key, "seed_name": seed_name, "check_name": check,
            "reason": reason, "row_json": None if record is None else json.dumps(record, default=str, ensure_ascii=False),
            "quarantined_at": now}


def _quarantine_rows(table: contract.Table, frame: pl.DataFrame, failures: dict[int, list[tuple[str, str]]],
                     run_id: str, seed_names: dict[str, str], now: datetime) -> list[dict]:
    records = frame.select(table.column_names).to_dicts()
    return [quarantine_row(run_id, table.name, _key_of(table, records[index]),
                           seed_names.get(records[index].get("article_id") or ""), check, reason, records[index], now)
            for index, problems in sorted(failures.items()) for check, reason in problems]


def _result_rows(table: contract.Table, result, detailed: list, height: int, run_id: str, now: datetime
                 ) -> list[dict[str, Any]]:
    counts = {(d.expectation_config.type, _column_of(d.expectation_config)):
              int(d.result.get("unexpected_count") if d.result.get("unexpected_count") is not None else height)
              for d in detailed}
    rows = []
    for item in result.results:
        config = item.expectation_config
        column = _column_of(config)
        rows.append({
            "result_id": stable_id(run_id, table.name, config.type, column), "run_id": run_id,
            "table_name": table.name, "expectation": config.type, "column_name": column or None,
            "kwargs": json.dumps({k: v for k, v in config.kwargs.items() if k != "batch_id"}, default=str,
                                 sort_keys=True),
            "success": bool(item.success), "element_count": height,
            "unexpected_count": 0 if item.success else counts.get((config.type, column), height),
            "validated_at": now,
        })
    return rows


def drop_dangling_references(frames: dict[str, pl.DataFrame], run_id: str, seed_names: dict[str, str],
                             now: datetime) -> tuple[dict[str, pl.DataFrame], list[dict]]:
    """After quarantining, no loaded row may point at a row that is gone: an optional reference is cleared
    (an event keeps loading without its story event), a required one takes its row into quarantine too.
    Repeated until nothing changes."""
    quarantine: list[dict] = []
    frames = dict(frames)
    for _ in range(len(contract.TABLES)):
        changed = False
        for table in VALIDATED_TABLES:
            frame = frames.get(table.name)
            columns = [c for c in table.columns if c.references]
            if frame is None or frame.height == 0 or not columns:
                continue
            checked = with_fk_checks(table, frame, frames)
            dangling = {c.name: checked[fk_check_name(c.name)].fill_null(True).not_() for c in columns}
            required = [c.name for c in columns if not c.nullable and dangling[c.name].any()]
            optional = [c for c in columns if c.nullable and dangling[c.name].any()]
            for column in optional:
                empty = [] if frame.schema[column.name] == pl.List(pl.String) else None
                frame = frame.with_columns(pl.when(dangling[column.name]).then(pl.lit(empty, dtype=frame.schema[
                    column.name])).otherwise(pl.col(column.name)).alias(column.name))
            if required:
                bad = pl.Series([any(v) for v in zip(*(dangling[name] for name in required))], dtype=pl.Boolean)
                quarantine.extend(_quarantine_rows(
                    table, frame, {i: [("reference_quarantined", "a row it requires was quarantined")]
                                   for i, hit in enumerate(bad) if hit}, run_id, seed_names, now))
                frame = frame.filter(~bad)
            if optional or required:
                frames[table.name] = frame
                changed = True
        if not changed:
            break
    return frames, quarantine


def build_data_docs(project_dir: Path, run_id: str) -> str | None:
    """Render this run's validation pages (and the index) into the local Data Docs site; its URL."""
    context = _context(Path(project_dir))
    this_run = [key for key in context.validation_results_store.list_keys()
                if getattr(key.run_id, "run_name", None) == run_id]
    context.build_data_docs(resource_identifiers=this_run or None)
    urls = context.get_docs_sites_urls()
    return urls[0]["site_url"] if urls else None


def prune_results(project_dir: Path, keep: int = KEEP_RESULT_RUNS) -> None:
    """Keep the newest `keep` stored validation results per table: GX writes one file per table per run,
    Data Docs built or not, and the folder would grow for ever."""
    root = _uncommitted(project_dir) / "validations"
    if not root.is_dir():
        return
    for suite_dir in root.iterdir():
        files = sorted(suite_dir.rglob("*.json"), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
        for folder in sorted(suite_dir.rglob("*"), key=lambda p: len(p.parts), reverse=True):  # deepest first
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


def validate_frames(frames: dict[str, pl.DataFrame], project_dir: Path, run_id: str, window: DateWindow,
                    build_docs: bool = True) -> ValidationOutcome:
    """Run every table's suite; split each frame into loadable rows and quarantine rows.

    A row that fails goes to quarantine with the expectation and the reason. An `articles` row that fails
    makes its whole article untrustworthy: every row of that article in every table goes with it
    (`ValidationOutcome.bad_articles` tells the flow to re-derive the cross-article tables without it).
    Plausible dates are judged by `window` (the run date and the plausible dates around it).
    """
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    frames = {name: repair_fields(contract.TABLES_BY_NAME[name], frame, frames, window)
              if name in contract.TABLES_BY_NAME else frame for name, frame in frames.items()}
    articles = frames.get("articles", contract.empty_frame(contract.ARTICLES))
    seed_names = dict(zip(articles["article_id"].to_list(), articles["seed_name"].to_list()))
    results, failed_rows, quarantine = _run_suites(_context(Path(project_dir)), frames, run_id, seed_names, now, window)
    bad_articles = {articles["article_id"][i] for i in failed_rows.get("articles", set())}
    kept, cascaded = _keep_passing_rows(frames, failed_rows, bad_articles, run_id, seed_names, now)
    kept, dangling = drop_dangling_references(kept, run_id, seed_names, now)
    prune_results(Path(project_dir))
    docs = build_data_docs(Path(project_dir), run_id) if build_docs else None
    return ValidationOutcome(kept, contract.rows_to_frame(quarantine + cascaded + dangling, contract.QUARANTINE),
                             results, docs, sorted(bad_articles))


def _run_suites(context, frames: dict[str, pl.DataFrame], run_id: str, seed_names: dict[str, str], now: datetime,
                window: DateWindow) -> tuple[list[dict], dict[str, set[int]], list[dict]]:
    """(validation result rows, failing row indexes per table, their quarantine rows) of every suite."""
    from great_expectations.core.run_identifier import RunIdentifier

    run_identifier = RunIdentifier(run_name=run_id, run_time=now.replace(tzinfo=timezone.utc))
    results: list[dict] = []
    failed_rows: dict[str, set[int]] = {}
    quarantine: list[dict] = []
    for table in VALIDATED_TABLES:
        frame = frames.get(table.name)
        if frame is None or frame.height == 0:
            _suite_for(context, table)  # kept in sync with the contract even when there is nothing to check
            continue
        checked = with_checks(table, frame, frames, window)
        result, detailed = _validate_table(context, table, checked, run_identifier)
        results.extend(_result_rows(table, result, detailed, frame.height, run_id, now))
        if failures := _failing_rows(detailed, frame.height):
            failed_rows[table.name] = set(failures)
            quarantine.extend(_quarantine_rows(table, frame, failures, run_id, seed_names, now))
    return results, failed_rows, quarantine


def _keep_passing_rows(frames: dict[str, pl.DataFrame], failed_rows: dict[str, set[int]], bad_articles: set[str],
                       run_id: str, seed_names: dict[str, str], now: datetime
                       ) -> tuple[dict[str, pl.DataFrame], list[dict]]:
    """Every frame without its failing rows and without the rows of failed articles (those quarantined too)."""
    kept: dict[str, pl.DataFrame] = {}
    cascaded_rows: list[dict] = []
    for name, frame in frames.items():
        table = contract.TABLES_BY_NAME.get(name)
        failed = failed_rows.get(name, set())
        mask = pl.Series([i not in failed for i in range(frame.height)], dtype=pl.Boolean)
        if bad_articles and table is not None and "article_id" in frame.columns:
            of_bad = frame["article_id"].is_in(sorted(bad_articles))
            cascaded = of_bad & mask
            if name != "articles" and cascaded.any():
                cascaded_rows.extend(_quarantine_rows(
                    table, frame, {i: [("article_quarantined", "its article failed validation")]
                                   for i, hit in enumerate(cascaded) if hit}, run_id, seed_names, now))
            mask = mask & ~of_bad
        kept[name] = frame.filter(mask)
    return kept, cascaded_rows


def merge_outcomes(first: ValidationOutcome, second: ValidationOutcome) -> ValidationOutcome:
    """The re-derived tables of the second pass, with the quarantine and results of both."""
    quarantine = pl.concat([first.quarantine, second.quarantine]).unique("quarantine_id", keep="first",
                                                                         maintain_order=True)
    rederived = [dict(r, result_id=r["result_id"] + contract.REDERIVED_SUFFIX) for r in second.results]
    return ValidationOutcome(second.frames, quarantine, first.results + rederived,
                             second.data_docs or first.data_docs, first.bad_articles + second.bad_articles)

"""Row-level rules that span columns or tables, computed as boolean check columns so GX can validate (and
name the failing rows of) one frame at a time: foreign keys, offsets that must reproduce the stored text,
and the contract's row checks (dates plausible against the run date, precision consistent with the date,
bodies not empty).

Polars, except the offset check (see `_span_check`); a check column is True when the row passes and null
when the rule does not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from itertools import repeat

import polars as pl

import contract
from contract.window import DateWindow

CHECK_PREFIX = "_check_"


def fk_check_name(column: str) -> str:
    return f"{CHECK_PREFIX}{column}_exists"


def span_check_name(rule: contract.SpanRule) -> str:
    return f"{CHECK_PREFIX}{rule.surface}_matches_text"


def check_columns(table: contract.Table) -> list[str]:
    names = [fk_check_name(c.name) for c in table.columns if c.references]
    return names + [span_check_name(rule) for rule in table.spans] + [c.column_name for c in table.row_checks]


def _date_plausible(check: contract.RowCheck, frame: pl.DataFrame, frames: dict[str, pl.DataFrame],
                    window: DateWindow) -> pl.Expr:
    """A date column within `check.limit` days of the run date, or (with a precision column) within the
    window's reach from the latest possible publication date."""
    value = pl.col(check.columns[0])
    if len(check.columns) == 1:
        ok = value.is_between(window.earliest, window.run_date + timedelta(days=check.limit or 0))
    else:
        latest = window.latest_published
        ok = pl.when(pl.col(check.columns[1]) == "year").then(
            value.dt.year().is_between(window.earliest_year, latest.year + window.ahead_years)
        ).otherwise(value.is_between(window.earliest, latest + timedelta(days=window.ahead_days)))
    return pl.when(value.is_null()).then(None).otherwise(ok)


def _date_precision_consistent(check: contract.RowCheck, frame: pl.DataFrame, frames: dict[str, pl.DataFrame],
                               window: DateWindow) -> pl.Expr:
    day, precision = (pl.col(c) for c in check.columns)
    return (pl.when(day.is_null() & precision.is_null()).then(True)
            .when(day.is_null() | precision.is_null()).then(False)
            .when(precision == "week").then(day.dt.weekday() == 1)
            .when(precision == "month").then(day.dt.day() == 1)
            .when(precision == "year").then((day.dt.day() == 1) & (day.dt.month() == 1))
            .otherwise(True))


def _body_not_empty(check: contract.RowCheck, frame: pl.DataFrame, frames: dict[str, pl.DataFrame],
                    window: DateWindow) -> pl.Expr:
    """Only an empty body fails: a short body left from a mostly-clutter page is kept, its doubt noted at
    cleaning (`transforms.clean.document.clutter_doubt`)."""
    return pl.col("body").str.strip_chars().str.len_chars() > 0


RowCheckFunction = Callable[[contract.RowCheck, pl.DataFrame, dict[str, pl.DataFrame], DateWindow], pl.Expr]
ROW_CHECKS: dict[str, RowCheckFunction] = {
    "date_plausible": _date_plausible,
    "date_precision_consistent": _date_precision_consistent,
    "body_not_empty": _body_not_empty,
}


def _keys(frames: dict[str, pl.DataFrame], reference: str) -> pl.Series | None:
    ref_table, ref_column = reference.split(".")
    frame = frames.get(ref_table)
    return None if frame is None else frame.get_column(ref_column)


def _fk_check(frame: pl.DataFrame, column: contract.Column, frames: dict[str, pl.DataFrame]) -> pl.Expr:
    keys = _keys(frames, column.references or "")
    if keys is None:
        return pl.lit(None, dtype=pl.Boolean)
    values = pl.col(column.name)
    if frame.schema[column.name] == pl.List(pl.String):
        return values.list.eval(pl.element().is_in(keys.implode())).list.all()
    return pl.when(values.is_null()).then(None).otherwise(values.is_in(keys.implode()))


def _span_check(frame: pl.DataFrame, rule: contract.SpanRule, articles: pl.DataFrame) -> pl.Series:
    """`text[start:end] == surface` per row, in Python: a `str` is sliced at a character offset at once,
    where polars counts characters from the text's start on every row, and choosing each row's text field
    in polars copied the whole text into every row (26 GB for the 21,500 mentions of a 1.2 M-character
    body)."""
    fields = contract.TEXT_FIELDS
    texts = {(row[0], field): text for row in articles.select("article_id", *fields).iter_rows()
             for field, text in zip(fields, row[1:])}
    in_field = frame.get_column(rule.text_field).to_list() if rule.text_field else repeat("body")
    rows = zip(frame.get_column("article_id").to_list(), in_field, frame.get_column(rule.start).to_list(),
               frame.get_column(rule.end).to_list(), frame.get_column(rule.surface).to_list())
    ok = [text is not None and start is not None and end is not None and 0 <= start < end <= len(text)
          and text[start:end] == surface
          for article_id, field, start, end, surface in rows for text in (texts.get((article_id, field)),)]
    return pl.Series("ok", ok, dtype=pl.Boolean)


def with_fk_checks(table: contract.Table, frame: pl.DataFrame, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The frame plus one boolean column per reference: does the row it points to exist in `frames`?"""
    return frame.with_columns(
        _fk_check(frame, c, frames).alias(fk_check_name(c.name)) for c in table.columns if c.references)


def with_checks(table: contract.Table, frame: pl.DataFrame, frames: dict[str, pl.DataFrame],
                window: DateWindow) -> pl.DataFrame:
    """The frame plus one boolean column per cross-column or cross-table rule of its contract. `window`
    holds the run date and the plausible dates measured against it."""
    out = with_fk_checks(table, frame, frames)
    articles = frames.get("articles")
    for rule in table.spans:
        values = _span_check(frame, rule, articles) if articles is not None else pl.Series([None] * frame.height)
        out = out.with_columns(values.cast(pl.Boolean).alias(span_check_name(rule)))
    for check in table.row_checks:
        out = out.with_columns(ROW_CHECKS[check.name](check, frame, frames, window).alias(check.column_name))
    return out


def repair_fields(table: contract.Table, frame: pl.DataFrame, frames: dict[str, pl.DataFrame],
                  window: DateWindow) -> pl.DataFrame:
    """Null the fields of rows that fail a repairable row check (`RowCheck.repair`), each with its reason
    appended to `field_issues`: an article with an implausible date loads without the date, not not at all."""
    checks = [c for c in table.row_checks if c.repair]
    if not checks or frame.height == 0 or "field_issues" not in frame.columns:
        return frame
    for check in checks:
        failed = frame.select(ROW_CHECKS[check.name](check, frame, frames, window).fill_null(True).not_()
                              .alias("_failed"))["_failed"]
        if not failed.any():
            continue
        shown = [pl.col(c).cast(pl.String).fill_null("null") for c in check.columns]
        reason = pl.format(f"{', '.join(check.columns)}: {check.description} ({{}})",
                           pl.concat_str(shown, separator=", "))
        issues = pl.col("field_issues").fill_null(pl.lit([], dtype=pl.List(pl.String)))
        frame = frame.with_columns(
            pl.when(failed).then(issues.list.concat(pl.concat_list(reason))).otherwise(issues).alias("field_issues"),
            *[pl.when(failed).then(None).otherwise(pl.col(c)).alias(c) for c in check.repair])
    return frame

"""Row-level rules that span tables, computed as boolean check columns so GX can validate (and name the
failing rows of) one frame at a time: foreign keys, and offsets that must reproduce the stored text.

Pure polars; a check column is True when the row passes and null when the rule does not apply.
"""

from __future__ import annotations

import polars as pl

from warehouse import contract

CHECK_PREFIX = "_check_"


def fk_check_name(column: str) -> str:
    return f"{CHECK_PREFIX}{column}_exists"


def span_check_name(rule: contract.SpanRule) -> str:
    return f"{CHECK_PREFIX}{rule.surface}_matches_text"


def check_columns(table: contract.Table) -> list[str]:
    names = [fk_check_name(c.name) for c in table.columns if c.references]
    return names + [span_check_name(rule) for rule in table.spans]


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
    fields = list(contract.TEXT_FIELDS)
    texts = articles.select("article_id", *[pl.col(f).alias(f"_text_{f}") for f in fields])
    joined = frame.select("article_id", rule.start, rule.end, rule.surface,
                          *([rule.text_field] if rule.text_field else [])).join(
        texts, on="article_id", how="left", maintain_order="left")
    field_expr = pl.col(rule.text_field) if rule.text_field else pl.lit("body")
    text = pl.coalesce(*[pl.when(field_expr == f).then(pl.col(f"_text_{f}")) for f in fields])
    start, end = pl.col(rule.start), pl.col(rule.end)
    ok = ((start >= 0) & (end > start) & (end <= text.str.len_chars())
          & (text.str.slice(start, end - start) == pl.col(rule.surface)))
    return joined.select(ok.fill_null(False).alias("ok")).get_column("ok")


def with_checks(table: contract.Table, frame: pl.DataFrame, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The frame plus one boolean column per cross-table rule of its contract."""
    out = frame.with_columns(
        _fk_check(frame, c, frames).alias(fk_check_name(c.name)) for c in table.columns if c.references
    )
    articles = frames.get("articles")
    for rule in table.spans:
        values = _span_check(frame, rule, articles) if articles is not None else pl.Series([None] * frame.height)
        out = out.with_columns(values.cast(pl.Boolean).alias(span_check_name(rule)))
    return out

"""Frames as every stage passes them: one polars frame per table, keyed by table name. The few operations
on a whole set of frames that several stages need live here, once."""

from __future__ import annotations

import polars as pl

Frames = dict[str, pl.DataFrame]


def concat_frames(parts: list[Frames]) -> Frames:
    """Stack the frames of several batches, table by table."""
    names = {name for part in parts for name in part}
    return {name: pl.concat([p[name] for p in parts if name in p], how="vertical") for name in sorted(names)}


def drop_articles(frames: Frames, article_ids: list[str]) -> Frames:
    """The frames without the given articles' rows (tables without an `article_id` are kept whole)."""
    return {name: frame.filter(~pl.col("article_id").is_in(article_ids)) if "article_id" in frame.columns else frame
            for name, frame in frames.items()}


def order_by_articles(frames: Frames, article_order: list[str]) -> Frames:
    """Rows in the order a from-scratch run would produce them: articles in discovery order, each
    article's rows in extraction order. Derived tables then come out identical however a run was split."""
    position = pl.DataFrame({"article_id": article_order, "_pos": list(range(len(article_order)))},
                            schema={"article_id": pl.String, "_pos": pl.Int64})
    return {name: frame.join(position, on="article_id", how="left", maintain_order="left")
            .sort("_pos", maintain_order=True, nulls_last=True).drop("_pos") if "article_id" in frame.columns else frame
            for name, frame in frames.items()}

"""Corpus stage: cross-article derivations over all per-article frames (entity ids, stories).

Input and output are frames; rerunning it on the full set of articles always gives the same result,
which is what keeps derived tables consistent after any add, change or removal of an article.
"""

from __future__ import annotations

import polars as pl

from transforms.entities import resolve_entities
from transforms.stories import cluster_stories
from transforms.extract import Frames
from warehouse import contract


def _map_key(frame: pl.DataFrame, assignments: pl.DataFrame, key: str, target: str) -> pl.DataFrame:
    lookup = assignments.rename({"local_key": key, "entity_id": target})
    return frame.drop(target).join(lookup, on=["article_id", key], how="left")


def _map_key_list(frame: pl.DataFrame, assignments: pl.DataFrame, keys: str, target: str, row_id: str
                  ) -> pl.DataFrame:
    exploded = (
        frame.select(row_id, "article_id", keys).explode(keys).drop_nulls(keys)
        .with_columns(pl.int_range(pl.len()).over(row_id).alias("_order"))
        .join(assignments.rename({"local_key": keys}), on=["article_id", keys], how="inner")
        .sort(row_id, "_order")
        .group_by(row_id, maintain_order=True).agg(pl.col("entity_id").unique(maintain_order=True).alias(target))
    )
    return frame.drop(target).join(exploded, on=row_id, how="left")


def link_entities(frames: Frames) -> Frames:
    """Resolve entities across all articles and write the entity ids into every frame that refers to one."""
    assignments, entities, aliases = resolve_entities(frames["article_entities"], frames["entity_mentions"],
                                                      frames.get("entity_roles"))
    out = dict(frames)
    out["entities"] = contract.conform(entities, contract.ENTITIES)
    out["entity_aliases"] = contract.conform(aliases, contract.ENTITY_ALIASES)
    for name, key, target in (("article_entities", "local_key", "entity_id"),
                              ("entity_mentions", "local_key", "entity_id"),
                              ("quotes", "speaker_local_key", "speaker_entity_id"),
                              ("events", "location_local_key", "location_entity_id"),
                              ("entity_roles", "local_key", "entity_id")):
        table = contract.TABLES_BY_NAME[name]
        out[name] = contract.conform(_map_key(frames[name], assignments, key, target), table)
    # Role-only persons no named person in the corpus matched are not entities: their rows go, and a quote
    # they spoke keeps the role as its speaker name.
    for name in ("article_entities", "entity_mentions", "entity_roles"):
        out[name] = out[name].filter(pl.col("entity_id").is_not_null())
    out["events"] = contract.conform(
        _map_key_list(out["events"], assignments, "actor_local_keys", "actor_entity_ids", "event_id"), contract.EVENTS)
    return out


def assign_stories(frames: Frames) -> Frames:
    """Cluster all articles into stories; fill `articles.story_id` and the `stories` table."""
    articles = frames["articles"]
    assignment = cluster_stories(articles["article_id"].to_list(), articles["title"].to_list(),
                                 articles["body"].to_list())
    story_ids = pl.DataFrame({"article_id": list(assignment), "story_id": list(assignment.values())})
    articles = contract.conform(articles.drop("story_id").join(story_ids, on="article_id", how="left"),
                                contract.ARTICLES)
    source = pl.coalesce("source_domain", "agency", "article_id")
    stories = (
        articles.sort("article_id")
        .group_by("story_id", maintain_order=True)
        .agg(pl.col("title").drop_nulls().first().alias("title"), pl.len().cast(pl.Int32).alias("article_count"),
             source.n_unique().cast(pl.Int32).alias("source_count"),
             pl.coalesce("published_date", "reference_date").min().alias("first_published"),
             pl.coalesce("published_date", "reference_date").max().alias("last_published"))
    )
    return {**frames, "articles": articles, "stories": contract.conform(stories, contract.STORIES)}


def derive_corpus(frames: Frames) -> Frames:
    """Everything cross-article, from the full set of per-article frames."""
    return assign_stories(link_entities(frames))

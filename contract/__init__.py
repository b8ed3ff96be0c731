"""The warehouse contract: every analyst-facing table, column, type, key and rule, declared once.

A neutral module every layer may import: transforms shape their frames to it, `warehouse` builds its DDL
and loader from it, `expectations` its suites, `flows` its plans; it imports none of them.

DDL (`warehouse.schema`), polars frame schemas, Great Expectations suites (`expectations.suites`) and the
schema reference (`warehouse/README.md`) are all generated from these declarations, so they cannot
drift apart. Load behaviour is declared here too (dlt-style `write` disposition):

- ``article``: rows belong to one article; replaced when the article is re-processed, retracted with it.
- ``corpus``: derived across all articles (entities, stories, conflicts); rebuilt whole on every run
  that changes anything.
- ``append``: an audit log (runs, quarantine, validation results); rows are only ever added.
- ``state``: the pipeline's own bookkeeping (the manifest of input files); replaced whole by each run.

Modules: `contract.tables` (the tables), `contract.vocabulary` (closed sets of values), `contract.limits`
(plausibility and tuning limits), `contract.window` (the plausible-date window), `contract.frames` (frames
shaped to a table). Everything is re-exported here: callers write `contract.ARTICLES`.

Per-article extraction output is also kept, unchanged, in the `staging` schema (same columns): a run
re-extracts only new and changed files and derives everything else again from there.
"""

from __future__ import annotations

from contract.frames import (conform, empty_frame, polars_schema, rows_to_frame)
from contract.limits import (CLUTTER_SHARE_LIMIT, DATE_AHEAD_DAYS, EARLIEST_DATE, PUBLISHED_AHEAD_DAYS, REPOST_MIN_SIMILARITY,
                             REPOST_SHINGLE_WORDS, SHORT_BODY_WORDS, YEAR_AHEAD_YEARS, YEAR_BEFORE_EARLIEST_YEARS)
from contract.tables import (ARTICLES, ARTICLE_CLUTTER, ARTICLE_ENTITIES, CONFLICTS, Column, ENTITIES, ENTITY_ALIASES,
                             ENTITY_MENTIONS, ENTITY_ROLES, EVENTS, EVENT_MENTIONS, MANIFEST, META_DESCRIPTION, QUARANTINE,
                             QUOTES, RAW_DOCUMENTS, REDERIVED_SUFFIX, RUNS, RowCheck, STAGED_TABLES, STAGING_DESCRIPTION,
                             STAGING_SCHEMA, STORIES, STORY_EVENTS, SpanRule, TABLES, TABLES_BY_NAME, TEMPORAL_EXPRESSIONS,
                             Table, VALIDATION_RESULTS, WriteMode)
from contract.vocabulary import (DATE_BASES, DATE_PRECISIONS, ENTITY_TYPES, EVENT_MODALITIES, EVENT_STATUSES, EVENT_TYPES,
                                 METADATA_SOURCES, MODALITIES, TEXT_FIELDS)

__all__ = [
    "conform",
    "empty_frame",
    "polars_schema",
    "rows_to_frame",
    "CLUTTER_SHARE_LIMIT",
    "DATE_AHEAD_DAYS",
    "EARLIEST_DATE",
    "PUBLISHED_AHEAD_DAYS",
    "REPOST_MIN_SIMILARITY",
    "REPOST_SHINGLE_WORDS",
    "SHORT_BODY_WORDS",
    "YEAR_AHEAD_YEARS",
    "YEAR_BEFORE_EARLIEST_YEARS",
    "ARTICLES",
    "ARTICLE_CLUTTER",
    "ARTICLE_ENTITIES",
    "CONFLICTS",
    "Column",
    "ENTITIES",
    "ENTITY_ALIASES",
    "ENTITY_MENTIONS",
    "ENTITY_ROLES",
    "EVENTS",
    "EVENT_MENTIONS",
    "MANIFEST",
    "META_DESCRIPTION",
    "QUARANTINE",
    "QUOTES",
    "RAW_DOCUMENTS",
    "REDERIVED_SUFFIX",
    "RUNS",
    "RowCheck",
    "STAGED_TABLES",
    "STAGING_DESCRIPTION",
    "STAGING_SCHEMA",
    "STORIES",
    "STORY_EVENTS",
    "SpanRule",
    "TABLES",
    "TABLES_BY_NAME",
    "TEMPORAL_EXPRESSIONS",
    "Table",
    "VALIDATION_RESULTS",
    "WriteMode",
    "DATE_BASES",
    "DATE_PRECISIONS",
    "ENTITY_TYPES",
    "EVENT_MODALITIES",
    "EVENT_STATUSES",
    "EVENT_TYPES",
    "METADATA_SOURCES",
    "MODALITIES",
    "TEXT_FIELDS",
]

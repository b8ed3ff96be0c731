"""The warehouse's tables: every column, type, key, span and row rule, and how each table is written.
(The package docstring, `contract/__init__.py`, says what the contract is for.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from contract.limits import (DATE_AHEAD_DAYS, EARLIEST_DATE, PUBLISHED_AHEAD_DAYS, REPOST_MIN_SIMILARITY, REPOST_SHINGLE_WORDS,
                             SHORT_BODY_WORDS, YEAR_AHEAD_YEARS, YEAR_BEFORE_EARLIEST_YEARS)
from contract.vocabulary import (DATE_BASES, DATE_PRECISIONS, ENTITY_TYPES, EVENT_MODALITIES, EVENT_STATUSES, EVENT_TYPES,
                                 METADATA_SOURCES, MODALITIES, TEXT_FIELDS)

WriteMode = Literal["article", "corpus", "append", "state"]


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None
    references: str | None = None  # "table.column"
    min_value: float | None = None


@dataclass(frozen=True)
class SpanRule:
    """`<text_field>[start:end]` of the referenced article must equal `surface` exactly."""

    start: str
    end: str
    surface: str
    text_field: str | None = None  # column naming the article field; None means `body`


@dataclass(frozen=True)
class RowCheck:
    """A per-row rule beyond one column's type and set (implemented in `expectations.checks.ROW_CHECKS`)."""

    name: str
    description: str
    columns: tuple[str, ...] = ()
    limit: int | None = None  # e.g. days ahead of the run date a date may lie
    # Columns set to null when the check fails, the reason going to the row's `field_issues`: one doubtful
    # field does not cost the row. Empty: a failing row is quarantined.
    repair: tuple[str, ...] = ()

    @property
    def column_name(self) -> str:
        return "_check_" + "_".join((self.name, *self.columns))




def _plausible(column: str, ahead_days: int, repair: tuple[str, ...] = ()) -> RowCheck:
    return RowCheck("date_plausible", f"`{column}` is not before {EARLIEST_DATE} (NEWSETL_EARLIEST_DATE) and not "
                    f"more than {ahead_days} days after the run date.", (column,), ahead_days, repair)


def _plausible_in_text(column: str, precision_column: str) -> RowCheck:
    """A date a text states: the window's reach from the latest possible publication date (a backstop: the
    resolve stage already leaves implausible dates out)."""
    return RowCheck("date_plausible", f"`{column}` is not before {EARLIEST_DATE} (NEWSETL_EARLIEST_DATE) and not "
                    f"more than {DATE_AHEAD_DAYS} days (NEWSETL_DATE_AHEAD_DAYS), or for a `year` date "
                    f"{YEAR_AHEAD_YEARS} years, after the run date + {PUBLISHED_AHEAD_DAYS} days; a `year` date may "
                    f"lie up to {YEAR_BEFORE_EARLIEST_YEARS} years before {EARLIEST_DATE}.",
                    (column, precision_column))


def _precision_consistent(date_column: str, precision_column: str, repair: tuple[str, ...] = ()) -> RowCheck:
    return RowCheck("date_precision_consistent",
                    f"`{date_column}` and `{precision_column}` are both null or both set; a `week` date is a Monday, "
                    "a `month` date is the 1st, a `year` date is 1 January.", (date_column, precision_column),
                    repair=repair)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    write: WriteMode
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    spans: tuple[SpanRule, ...] = field(default=())
    row_checks: tuple[RowCheck, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _id(name: str, what: str) -> Column:
    return Column(name, "VARCHAR", what, nullable=False)


_RUN_ID = Column("run_id", "VARCHAR", "Run that wrote the row (see `runs`).", nullable=False,
                 references="runs.run_id")
_ARTICLE_FK = Column("article_id", "VARCHAR", "Article the row belongs to.", nullable=False,
                     references="articles.article_id")

_SOURCES_DOC = ", ".join(f"`{s}`" for s in METADATA_SOURCES) + "; null when the field is null"
_REFERENCE_COLUMNS = ("reference_date", "reference_precision", "reference_date_source", "writing_date")

ARTICLES = Table(
    "articles",
    "One row per loaded input file: cleaned body text plus its metadata. `body` is the text every "
    "offset in the warehouse points into.",
    "article",
    (
        _id("article_id", "Stable id of the input file (hash of `seed_name`): a re-ingested file keeps its id."),
        Column("seed_name", "VARCHAR", "Path of the input file relative to the seeds folder, e.g. `000_1b3c65afea547e31.txt`.",
               nullable=False),
        Column("content_sha256", "VARCHAR", "SHA-256 of the raw input bytes.", nullable=False),
        Column("input_format", "VARCHAR", "How the input was read, detected from content: `html` or `text`.",
               nullable=False, allowed=("html", "text")),
        Column("encoding", "VARCHAR", "Detected character encoding of the raw bytes (e.g. `utf-8`, `utf-16`, `cp1252`).",
               nullable=False),
        Column("title", "VARCHAR", "Headline, without surrounding quotes or greeting prefixes."),
        Column("title_source", "VARCHAR", "Where `title` came from: " + _SOURCES_DOC + ".", allowed=METADATA_SOURCES),
        Column("published_date", "DATE", "Publication date stated by the source (date line or HTML metadata); null when absent."),
        Column("published_date_source", "VARCHAR", "Where `published_date` came from: " + _SOURCES_DOC + ".",
               allowed=METADATA_SOURCES),
        Column("published_date_text", "VARCHAR", "The publication date as written, e.g. `3.11.2025`."),
        Column("reference_date", "DATE", "Date relative expressions (\"Thursday\", \"last month\") were resolved against."),
        Column("reference_date_source", "VARCHAR",
               "Where `reference_date` came from: `published`, `text` (inferred from the article's own dates and "
               "weekdays), `story` (from other articles of the same story) or null.",
               allowed=("published", "text", "story")),
        Column("reference_precision", "VARCHAR",
               "How much of `reference_date` is known: `day`, `month` (an undated text placed in a month by its "
               "own dates and its story) or `year`.", allowed=DATE_PRECISIONS),
        Column("writing_date", "DATE",
               "Latest day the text itself reports (\"said Thursday\"); \"this month\" and \"this week\" are "
               "resolved against it. Earlier than `published_date` when a text was re-posted days later."),
        Column("authors", "VARCHAR[]", "Byline authors in proper case; empty when there is no byline."),
        Column("authors_source", "VARCHAR", "Where `authors` came from: " + _SOURCES_DOC + " or empty.",
               allowed=METADATA_SOURCES),
        Column("agency", "VARCHAR", "Wire agency credited (e.g. `AP`, `Reuters`, `AFP`)."),
        Column("dateline", "VARCHAR", "Dateline place (e.g. `ANKARA`), as written."),
        Column("dateline_text", "VARCHAR", "The whole dateline prefix removed from the body, e.g. `ANKARA, Turkey (AP) —`."),
        Column("byline_text", "VARCHAR", "The byline line(s) removed from the body, e.g. `By SUZAN FRASER and MUNIR AHMED`."),
        Column("credit_text", "VARCHAR", "Credit lines removed from the body (`… contributed to this report`)."),
        Column("source_url", "VARCHAR", "Source URL when the document shows one (HTML metadata or a URL line)."),
        Column("source_domain", "VARCHAR", "Host of `source_url` without `www.`."),
        Column("sitename", "VARCHAR", "Publisher name from HTML metadata."),
        Column("language", "VARCHAR", "ISO 639-1 language code of the body."),
        Column("body", "VARCHAR", "Cleaned article text: paragraphs separated by a blank line.", nullable=False),
        Column("word_count", "INTEGER", "Number of words in `body` (characters in scripts written without spaces, "
               "such as Japanese or Chinese).", nullable=False, min_value=1),
        Column("field_issues", "VARCHAR[]", "Fields validation set to null rather than lose the article, each as "
               "`column: rule it broke (value)`, e.g. a publication date in 2099. Empty when none."),
        Column("story_id", "VARCHAR", "Story cluster of the article.", references="stories.story_id"),
        Column("duplicate_of", "VARCHAR",
               "The article whose `body` this one repeats exactly (of identical bodies, the one with the smallest "
               "`seed_name` is the original); null for an original. A duplicate keeps its `articles`, "
               "`raw_documents` and `article_clutter` rows, so every file stays accounted for, and takes its "
               "original's `story_id` and reference date; it has no rows in the analysis tables (entities, "
               "mentions, roles, quotes, dates, events), so nothing it says is counted twice.",
               references="articles.article_id"),
        Column("repost_of", "VARCHAR",
               "The earlier article (by `seed_name`) this one re-publishes with small edits (another headline, a "
               "line added, a few words changed): the first whose body shares word "
               f"{REPOST_SHINGLE_WORDS}-grams with this body at a Jaccard index of at least {REPOST_MIN_SIMILARITY:g}; "
               "null otherwise (and for duplicates). A repost keeps all its rows (its edits may change a fact) "
               "but is not a source of its own: `stories.source_count`, `story_events.source_count` and the "
               "majority value of a disputed claim count it as the source of the original it copies.",
               references="articles.article_id"),
        Column("repost_similarity", "DOUBLE",
               f"Jaccard index (0-1) of the word {REPOST_SHINGLE_WORDS}-gram sets of this body and the `repost_of` "
               "article's body; null when `repost_of` is null.", min_value=REPOST_MIN_SIMILARITY),
        _RUN_ID,
        Column("ingested_at", "TIMESTAMP", "When the run that wrote the row finished extracting it (UTC).", nullable=False),
    ),
    ("article_id",),
    row_checks=(
        _plausible("published_date", PUBLISHED_AHEAD_DAYS, repair=("published_date", "published_date_source")),
        _plausible("reference_date", PUBLISHED_AHEAD_DAYS, repair=_REFERENCE_COLUMNS),
        _precision_consistent("reference_date", "reference_precision", repair=_REFERENCE_COLUMNS),
        RowCheck("body_not_empty",
                 f"The body is not empty. A body under {SHORT_BODY_WORDS} words (characters in unspaced scripts) "
                 "and under half of the characters the input had (the rest removed as clutter) is kept, with the "
                 "doubt noted in `field_issues`: our own cleaning must not lose a short article."),
    ),
)

RAW_DOCUMENTS = Table(
    "raw_documents",
    "The decoded input text of every loaded article, so cleaning can be re-run and every removed line "
    "checked against its source.",
    "article",
    (
        _ARTICLE_FK,
        Column("seed_name", "VARCHAR", "Input path relative to the seeds folder.", nullable=False),
        Column("content_sha256", "VARCHAR", "SHA-256 of the raw bytes.", nullable=False),
        Column("size_bytes", "BIGINT", "Size of the raw file in bytes.", nullable=False, min_value=0),
        Column("raw_text", "VARCHAR", "Decoded text exactly as read (before any cleaning).", nullable=False),
    ),
    ("article_id",),
)

ARTICLE_CLUTTER = Table(
    "article_clutter",
    "Everything cleaning kept out of an article's body, with the reason: nothing is dropped silently.",
    "article",
    (
        _ARTICLE_FK,
        Column("item_no", "INTEGER", "1-based number of the removal within the article, in document order: one "
               "row per removal, unique by construction (the same text can be removed twice from one page block).",
               nullable=False, min_value=1),
        Column("line_no", "INTEGER", "1-based line (plain text) or text block (HTML) number in the raw document; "
               "0 when the page block could not be told.", nullable=False, min_value=0),
        Column("text", "VARCHAR", "The removed text.", nullable=False),
        Column("reason", "VARCHAR", "Why it was removed (e.g. `navigation`, `weather`, `sponsored`, `greeting`, "
               "`url`, `separator`, `near_duplicate`, `html_boilerplate`; for metadata: `title`, `date_line`, "
               "`dateline`, `byline`, `credit`, `agency_line`).", nullable=False),
        Column("kind", "VARCHAR", "`clutter` (page junk) or `metadata` (moved into an `articles` column).",
               nullable=False, allowed=("clutter", "metadata")),
    ),
    ("article_id", "item_no"),
)

ARTICLE_ENTITIES = Table(
    "article_entities",
    "Entities as found inside one article (its mentions grouped), before and after cross-article resolution.",
    "article",
    (
        _ARTICLE_FK,
        Column("local_key", "INTEGER", "Number of the entity within the article.", nullable=False, min_value=0),
        Column("entity_id", "VARCHAR", "Cross-article entity it was resolved to.", nullable=False,
               references="entities.entity_id"),
        Column("entity_type", "VARCHAR", "Type voted by its mentions.", nullable=False, allowed=ENTITY_TYPES),
        Column("name", "VARCHAR", "Fullest name used in the article.", nullable=False),
        Column("surfaces", "VARCHAR[]", "Every name form used in the article.", nullable=False),
        Column("acronyms", "VARCHAR[]", "Acronyms the article defines or uses for it."),
        Column("role", "VARCHAR", "For a person the article names only by a role (\"Pakistan's defense minister\"): "
               "the normalised role, which resolved the person across articles; `author` for a reporter named in "
               "the byline (who writes the article, not someone it is about); null otherwise."),
        Column("role_country", "VARCHAR", "ISO alpha-3 code of the country that role belongs to, when stated."),
    ),
    ("article_id", "local_key"),
)

STORIES = Table(
    "stories",
    "Articles from any outlet about the same real-world event (story clusters; see `articles.story_id`).",
    "corpus",
    (
        _id("story_id", "Stable id of the story (derived from its earliest member article id)."),
        Column("title", "VARCHAR", "Title of the story's first article that has one."),
        Column("article_count", "INTEGER", "Articles in the story, reposts included, duplicates not "
               "(`articles.duplicate_of`).", nullable=False, min_value=1),
        Column("source_count", "INTEGER", "Distinct sources (domain, else agency, else article) in the story; a "
               "repost counts as its original's source (`articles.repost_of`).", nullable=False, min_value=1),
        Column("first_published", "DATE", "Earliest real date of its articles: the stated publication date, else a "
               "day-precise reference date (not of an article whose year other sources contradict)."),
        Column("last_published", "DATE", "Latest real date of its articles (as `first_published`)."),
    ),
    ("story_id",),
)

ENTITIES = Table(
    "entities",
    "One row per real-world entity across all articles (people, organisations, places, …).",
    "corpus",
    (
        _id("entity_id", "Stable id derived from the canonical name and type."),
        Column("canonical_name", "VARCHAR", "Preferred full name (e.g. `Khawaja Mohammad Asif`, `Turkey`).", nullable=False),
        Column("entity_type", "VARCHAR", "spaCy/OntoNotes type.", nullable=False, allowed=ENTITY_TYPES),
        Column("mention_count", "INTEGER", "Mentions across all articles (a duplicate has none: "
               "`articles.duplicate_of`).", nullable=False, min_value=1),
        Column("article_count", "INTEGER", "Articles mentioning the entity, duplicates not counted.", nullable=False,
               min_value=1),
    ),
    ("entity_id",),
)

ENTITY_ALIASES = Table(
    "entity_aliases",
    "Every name form seen for an entity (spelling variants, acronyms, short names, role descriptions).",
    "corpus",
    (
        Column("entity_id", "VARCHAR", "Entity the alias names.", nullable=False, references="entities.entity_id"),
        Column("alias", "VARCHAR", "The name form as written.", nullable=False),
        Column("alias_kind", "VARCHAR", "`name`, `short_name`, `acronym`, `variant` (e.g. country name forms) or `role`.",
               nullable=False, allowed=("name", "short_name", "acronym", "variant", "role")),
        Column("mention_count", "INTEGER", "Mentions written this way.", nullable=False, min_value=0),
    ),
    ("entity_id", "alias"),
)

ENTITY_MENTIONS = Table(
    "entity_mentions",
    "Each place an entity is named. Offsets point into the article field named by `text_field` "
    "(almost always `body`).",
    "article",
    (
        _id("mention_id", "Stable id of the mention (article, field, offsets)."),
        _ARTICLE_FK,
        Column("entity_id", "VARCHAR", "The resolved entity.", nullable=False, references="entities.entity_id"),
        Column("surface", "VARCHAR", "The mention exactly as written: `<text_field>[start_char:end_char]`.", nullable=False),
        Column("start_char", "INTEGER", "Start offset (0-based, characters) into the field.", nullable=False, min_value=0),
        Column("end_char", "INTEGER", "End offset (exclusive).", nullable=False, min_value=1),
        Column("text_field", "VARCHAR", "Article column the offsets point into.", nullable=False, allowed=TEXT_FIELDS),
        Column("mention_kind", "VARCHAR", "`name` (a proper name), `acronym`, `role` (a title standing for a person), "
               "`description` (\"the ministry\" for the one ministry the article named before) or `byline`.",
               nullable=False, allowed=("name", "acronym", "role", "description", "byline")),
        Column("ner_label", "VARCHAR", "Type the mention was tagged with before cross-article resolution."),
        Column("local_key", "INTEGER", "Within-article entity number (see `article_entities`).", nullable=False,
               min_value=0),
    ),
    ("mention_id",),
    spans=(SpanRule("start_char", "end_char", "surface", text_field="text_field"),),
)

ENTITY_ROLES = Table(
    "entity_roles",
    "Titles and offices stated for a person in an article (\"Pakistan's Defense Minister\").",
    "article",
    (
        Column("entity_id", "VARCHAR", "The person (or organisation) holding the role.", nullable=False,
               references="entities.entity_id"),
        _ARTICLE_FK,
        Column("local_key", "INTEGER", "Within-article entity number of the holder.", nullable=False, min_value=0),
        Column("role", "VARCHAR", "The role as written, normalised to lower case (e.g. `defense minister`).", nullable=False),
        Column("role_text", "VARCHAR", "The role phrase exactly as written.", nullable=False),
        Column("role_country", "VARCHAR", "ISO alpha-3 code of the country the role belongs to, when stated "
               "(`Pakistan's Defense Minister` -> `PAK`)."),
        Column("start_char", "INTEGER", "Start of the role phrase in `body`.", nullable=False, min_value=0),
        Column("end_char", "INTEGER", "End of the role phrase in `body`.", nullable=False, min_value=1),
    ),
    ("entity_id", "article_id", "start_char"),
    spans=(SpanRule("start_char", "end_char", "role_text"),),
)

QUOTES = Table(
    "quotes",
    "Who said what: quotations with their speaker, attribution verb and how the speaker was found.",
    "article",
    (
        _id("quote_id", "Stable id (article and offsets)."),
        _ARTICLE_FK,
        Column("quote_text", "VARCHAR", "The words inside the quotation marks, verbatim (`body[start_char:end_char]`).",
               nullable=False),
        Column("speaker_name", "VARCHAR", "Speaker as resolved: a name or a description (\"a source close to the delegation\")."),
        Column("speaker_entity_id", "VARCHAR", "Speaker entity; null for anonymous or unresolved speakers.",
               references="entities.entity_id"),
        Column("speaker_local_key", "INTEGER", "Within-article entity number of the speaker."),
        Column("is_partial", "BOOLEAN", "True for a quoted fragment inside a sentence (scare quotes, partial quotes).",
               nullable=False),
        Column("quote_kind", "VARCHAR", "`direct` (full sentence), `partial`, or `indirect` (reported speech, no marks).",
               nullable=False, allowed=("direct", "partial", "indirect")),
        Column("attribution_verb", "VARCHAR", "Lemma of the speech verb (`say`, `warn`, `stress`, …)."),
        Column("attribution_method", "VARCHAR", "How the speaker was found: `explicit` (named), `pronoun` "
               "(coreference), `role` (an office), `description` (\"the ministry\" standing for the one ministry the "
               "article named), `anonymous`, `context` (continues the previous quote), `none`.", nullable=False,
               allowed=("explicit", "pronoun", "role", "description", "anonymous", "context", "none")),
        Column("confidence", "DOUBLE", "Confidence of the speaker attribution, 0–1.", nullable=False, min_value=0.0),
        Column("speaker_status", "VARCHAR", "`attributed` when a speaker (name or description) was found; otherwise "
               "why not: `scare_quote` (a short fragment with no speech cue: a term the writer sets apart, not a "
               "quotation) or `no_speech_cue` (no attribution found).", nullable=False,
               allowed=("attributed", "scare_quote", "no_speech_cue")),
        Column("start_char", "INTEGER", "Start of the quoted words in `body`.", nullable=False, min_value=0),
        Column("end_char", "INTEGER", "End of the quoted words in `body`.", nullable=False, min_value=1),
    ),
    ("quote_id",),
    spans=(SpanRule("start_char", "end_char", "quote_text"),),
)

TEMPORAL_EXPRESSIONS = Table(
    "temporal_expressions",
    "Every date expression in every body (\"Thursday\", \"last month\", \"Oct. 19, 2023\"), resolved against "
    "the article's reference date.",
    "corpus",
    (
        _id("expression_id", "Stable id (article and offsets)."),
        _ARTICLE_FK,
        Column("start_char", "INTEGER", "Start in `body`.", nullable=False, min_value=0),
        Column("end_char", "INTEGER", "End in `body`.", nullable=False, min_value=1),
        Column("text", "VARCHAR", "The expression as written (`body[start_char:end_char]`).", nullable=False),
        Column("kind", "VARCHAR", "`absolute` (a calendar date), `weekday`, `relative` or `year`.", nullable=False,
               allowed=("absolute", "weekday", "relative", "year")),
        Column("spec", "JSON", "The parsed, unresolved expression (month, day, offset, unit, direction…).",
               nullable=False),
        Column("resolved_date", "DATE", "First day of the period it denotes; null when it cannot be resolved "
               "or is implausible."),
        Column("date_precision", "VARCHAR", "`day`, `week` (Monday to Sunday, dated by its Monday), `month` or `year`.",
               allowed=DATE_PRECISIONS),
        Column("implausible", "BOOLEAN",
               f"True when the expression denotes a date outside the plausible window: before {EARLIEST_DATE} (a "
               f"bare year: more than {YEAR_BEFORE_EARLIEST_YEARS} years before it), or "
               f"more than {DATE_AHEAD_DAYS} days after the article's reference date (the defaults; "
               "NEWSETL_EARLIEST_DATE and NEWSETL_DATE_AHEAD_DAYS change them), or writes a day no calendar has "
               "(\"February 30, 2024\"). Such a date (\"in 9999\", a typo) "
               "is kept as text and never used: `resolved_date` is null, and it dates no event and no article. "
               "(Nullable so that a warehouse from before the column existed migrates in place: the run that adds "
               "it re-derives every row.)"),
    ),
    ("expression_id",),
    spans=(SpanRule("start_char", "end_char", "text"),),
    row_checks=(_precision_consistent("resolved_date", "date_precision"),),
)

EVENT_MENTIONS = Table(
    "event_mentions",
    "Every event trigger found in a body, whether it became an event or not, and why (`status`).",
    "corpus",
    (
        _id("mention_id", "Stable id (article, type and trigger offsets)."),
        _ARTICLE_FK,
        Column("event_id", "VARCHAR", "Event the mention was folded into; null when it is not an event.",
               references="events.event_id"),
        Column("event_type", "VARCHAR", "Event type of the trigger.", nullable=False, allowed=EVENT_TYPES),
        Column("trigger", "VARCHAR", "The trigger as written (`body[trigger_start:trigger_end]`).", nullable=False),
        Column("trigger_start", "INTEGER", "Start of the trigger in `body`.", nullable=False, min_value=0),
        Column("trigger_end", "INTEGER", "End of the trigger in `body`.", nullable=False, min_value=1),
        Column("start_char", "INTEGER", "Start of the sentence in `body`.", nullable=False, min_value=0),
        Column("end_char", "INTEGER", "End of the sentence in `body`.", nullable=False, min_value=1),
        Column("paragraph_no", "INTEGER", "Paragraph of the body (0-based).", nullable=False, min_value=0),
        Column("status", "VARCHAR",
               "`event`; or why not: `negated` (\"no new clashes\"), `hypothetical` (\"if the talks fail\", "
               "\"aimed at securing a ceasefire\"), `state` (\"the ceasefire was maintained\"), `modifier` "
               "(\"ceasefire violations\"), `name` (part of a name: \"Summit Entertainment\"), `subsumed` (\"clashes killed dozens\": the clash is the event), "
               "`repeat` (an undated re-mention: \"this series of clashes\").",
               nullable=False, allowed=EVENT_STATUSES),
        Column("modality", "VARCHAR", "What the text says of it: `happened`, `planned` (announced, expected, "
               "future), `negated` (\"no new clashes\") or `hypothetical` (\"if the talks fail\", a goal). "
               "Negated and hypothetical mentions never become `events` rows.", nullable=False, allowed=MODALITIES),
        Column("tense", "VARCHAR", "Tense of the clause: `past`, `pluperfect`, `perfect`, `present`, `progressive`, "
               "`future`, `none`.", nullable=False,
               allowed=("past", "pluperfect", "perfect", "present", "progressive", "future", "none")),
        Column("is_background", "BOOLEAN", "Inside a background phrase (\"despite …\", \"following …\").",
               nullable=False),
        Column("is_anaphoric", "BOOLEAN", "Points back to an event already reported (\"this series of\", \"the previous\").",
               nullable=False),
        Column("date_expression_id", "VARCHAR", "The date expression attached to the trigger.",
               references="temporal_expressions.expression_id"),
        Column("date_via", "VARCHAR", "`own` (the date belongs to the trigger) or `report` (date of the statement "
               "that reports a past event).", allowed=("own", "report")),
        Column("attributes", "JSON", "Counts stated in the sentence, e.g. {\"duration_days\": 4, \"killed\": 18}."),
        Column("actor_local_keys", "INTEGER[]", "Within-article entity numbers of named participants."),
        Column("location_local_key", "INTEGER", "Within-article entity number of the place."),
    ),
    ("mention_id",),
    spans=(SpanRule("trigger_start", "trigger_end", "trigger"),),
)

_EVENT_DATE_CHECKS = (_precision_consistent("event_date", "date_precision"), _plausible_in_text("event_date", "date_precision"))

EVENTS = Table(
    "events",
    "What happened, per article: one row per event (its mentions folded together), dated, with evidence.",
    "corpus",
    (
        _id("event_id", "Stable id (article, type and offsets of its main mention)."),
        _ARTICLE_FK,
        Column("event_type", "VARCHAR", "Event type.", nullable=False, allowed=EVENT_TYPES),
        Column("trigger", "VARCHAR", "The word that signalled the event (e.g. `ceasefire`, `killed`).", nullable=False),
        Column("event_date", "DATE", "First day of the period the event is dated to; null when undated."),
        Column("date_precision", "VARCHAR",
               "`day`, `week` (dated by its Monday), `month` or `year`: how much of `event_date` is known.",
               allowed=DATE_PRECISIONS),
        Column("date_text", "VARCHAR", "The date expression as written (\"on Oct. 19\", \"last month\")."),
        Column("date_basis", "VARCHAR",
               "How the date was found: `stated` (a date expression about the event), `reported` (the date of the "
               "statement reporting it), `inherited` (from the preceding event of the passage) or `reference` (under "
               "way at the article's reference date); `on_or_before` (no date of its own, but the text reports it "
               "done: its article's reference date is an upper bound, `event_date` is that date and the event took "
               "place then or earlier; never for a planned event); `implausible` when the only date stated for it lies outside "
               "the plausible window or is no calendar day (see `temporal_expressions.implausible`): `event_date` "
               "is then null and "
               "`date_text` keeps what was written.", allowed=DATE_BASES),
        Column("date_inferred", "BOOLEAN",
               "True when the date rests on an inferred reference date (no publication date) or was inherited.",
               nullable=False),
        Column("modality", "VARCHAR", "`happened` or `planned` (every mention announced, expected or future). "
               "Only these two: a negated or hypothetical mention is kept in `event_mentions` with that modality "
               "and never becomes an event, so nothing here or in the timeline says it took place.",
               nullable=False, allowed=EVENT_MODALITIES),
        Column("evidence", "VARCHAR", "The sentence stating the event (`body[start_char:end_char]`).", nullable=False),
        Column("start_char", "INTEGER", "Start of `evidence` in `body`.", nullable=False, min_value=0),
        Column("end_char", "INTEGER", "End of `evidence` in `body`.", nullable=False, min_value=1),
        Column("mention_count", "INTEGER", "Mentions of the event in the article.", nullable=False, min_value=1),
        Column("attributes", "JSON", "Counts stated about the event, e.g. {\"duration_days\": 4}."),
        Column("story_event_id", "VARCHAR", "The cross-article event it is one report of.",
               references="story_events.story_event_id"),
        Column("actor_entity_ids", "VARCHAR[]", "Entities taking part, agent first."),
        Column("location_entity_id", "VARCHAR", "Where it happened.", references="entities.entity_id"),
        Column("actor_local_keys", "INTEGER[]", "Within-article entity numbers of the actors."),
        Column("location_local_key", "INTEGER", "Within-article entity number of the location."),
    ),
    ("event_id",),
    spans=(SpanRule("start_char", "end_char", "evidence"),),
    row_checks=_EVENT_DATE_CHECKS,
)

STORY_EVENTS = Table(
    "story_events",
    "One row per real event of a story, however many articles report it (e.g. one ceasefire on one date).",
    "corpus",
    (
        _id("story_event_id", "Stable id (story, type and date)."),
        Column("story_id", "VARCHAR", "Story it belongs to.", nullable=False, references="stories.story_id"),
        Column("event_type", "VARCHAR", "Event type.", nullable=False, allowed=EVENT_TYPES),
        Column("event_date", "DATE", "Date most sources give (first day of the period); null when undated."),
        Column("date_precision", "VARCHAR", "`day`, `week`, `month` or `year`.", allowed=DATE_PRECISIONS),
        Column("date_basis", "VARCHAR", "How `event_date` was found, as `events.date_basis` of the report it "
               "comes from; `on_or_before` when no report dates it and some report it done: `event_date` is then "
               "the earliest of their articles' reference dates, an upper bound.", allowed=DATE_BASES),
        Column("article_count", "INTEGER", "Articles reporting it, reposts included (a duplicate has no events).",
               nullable=False, min_value=1),
        Column("source_count", "INTEGER", "Distinct sources (domain, else agency, else article) reporting it; a "
               "repost counts as its original's source (`articles.repost_of`).", nullable=False, min_value=1),
        Column("event_count", "INTEGER", "Per-article `events` rows linked to it.", nullable=False, min_value=1),
        Column("disputed", "BOOLEAN", "True when sources contradict each other about it (see `conflicts`), or when "
               "an article dates it in a year other sources contradict (that article's `different_year` conflict).",
               nullable=False),
        Column("modality", "VARCHAR", "`happened` when any report says it happened, else `planned`. The `timeline` "
               "view shows what happened; `timeline_all` shows planned events too.", nullable=False,
               allowed=EVENT_MODALITIES),
        Column("event_id", "VARCHAR", "Its best-dated per-article report.", nullable=False,
               references="events.event_id"),
        Column("evidence", "VARCHAR", "Evidence sentence of that report.", nullable=False),
    ),
    ("story_event_id",),
    row_checks=_EVENT_DATE_CHECKS,
)

CONFLICTS = Table(
    "conflicts",
    "Where sources disagree: one row per pair of contradicting claims about a story event.",
    "corpus",
    (
        _id("conflict_id", "Stable id."),
        Column("story_id", "VARCHAR", "Story of the disputed event.", nullable=False, references="stories.story_id"),
        Column("story_event_id", "VARCHAR", "The disputed event.", nullable=False,
               references="story_events.story_event_id"),
        Column("attribute", "VARCHAR", "What is disputed: `event_date`, `duration_days`, `killed`, `location`.",
               nullable=False),
        Column("kind", "VARCHAR", "`different_year`, `different_date`, `different_count` or `different_place`.",
               nullable=False, allowed=("different_year", "different_date", "different_count", "different_place")),
        Column("value_a", "VARCHAR", "The value most sources give.", nullable=False),
        Column("article_a", "VARCHAR", "An article giving `value_a`.", nullable=False, references="articles.article_id"),
        Column("event_a", "VARCHAR", "Its event row.", nullable=False, references="events.event_id"),
        Column("value_b", "VARCHAR", "The contradicting value.", nullable=False),
        Column("article_b", "VARCHAR", "The article giving `value_b`.", nullable=False,
               references="articles.article_id"),
        Column("event_b", "VARCHAR", "Its event row.", nullable=False, references="events.event_id"),
    ),
    ("conflict_id",),
)

RUNS = Table(
    "runs",
    "One row per ingest run: what it saw, did and how long each stage took.",
    "append",
    (
        _id("run_id", "Id of the run (also the Prefect flow run name suffix)."),
        Column("started_at", "TIMESTAMP", "Start (UTC).", nullable=False),
        Column("finished_at", "TIMESTAMP", "End (UTC)."),
        Column("status", "VARCHAR", "`completed`, `noop` (nothing changed: nothing was processed or rewritten), "
               "`interrupted` (stopped by SIGINT/SIGTERM before its load committed: nothing of it was written) or "
               "`failed`.", nullable=False, allowed=("completed", "noop", "interrupted", "failed")),
        Column("seeds_dir", "VARCHAR", "Folder ingested (absolute path).", nullable=False),
        Column("code_version", "VARCHAR", "Hash of the extraction code and model: a change re-processes every file.",
               nullable=False),
        Column("prefect_flow_run_id", "VARCHAR", "Prefect flow run id, when run through Prefect."),
        Column("files_seen", "INTEGER", "Files found in the seeds folder.", nullable=False, min_value=0),
        Column("files_new", "INTEGER", "Files not seen by an earlier run.", nullable=False, min_value=0),
        Column("files_changed", "INTEGER", "Files whose content (or the code version) changed since they were last "
               "processed.", nullable=False, min_value=0),
        Column("files_unchanged", "INTEGER", "Files skipped: same content and code version as last time.",
               nullable=False, min_value=0),
        Column("files_removed", "INTEGER", "Files gone since the last run; their rows were retracted.",
               nullable=False, min_value=0),
        Column("documents_processed", "INTEGER", "Documents read, cleaned and extracted by this run.",
               nullable=False, min_value=0),
        Column("files_loaded", "INTEGER", "Files loaded as articles (new or changed or unchanged).", nullable=False, min_value=0),
        Column("files_quarantined", "INTEGER", "Files rejected, with a row in `quarantine`.", nullable=False, min_value=0),
        Column("articles", "INTEGER", "Articles in the warehouse after the run.", nullable=False, min_value=0),
        Column("entities", "INTEGER", "Entities after the run.", nullable=False, min_value=0),
        Column("mentions", "INTEGER", "Entity mentions after the run.", nullable=False, min_value=0),
        Column("quotes", "INTEGER", "Quotes after the run.", nullable=False, min_value=0),
        Column("events", "INTEGER", "Events after the run.", nullable=False, min_value=0),
        Column("stage_seconds", "JSON", "Wall-clock seconds per stage, e.g. {\"extract\": 1.2}."),
        Column("peak_rss_mb", "INTEGER", "Largest resident memory of the run's process or of any of its extraction "
               "worker processes, in MB."),
        Column("message", "VARCHAR", "Error message of a failed run."),
        Column("entries_skipped", "INTEGER", "Entries of the seeds folder left out by design, not read: dot-files and "
               "dot-folders, links to folders (not followed), newsetl's own output (the warehouse's files, and folders "
               "holding a `.newsetl-output.json` record: a report, an export, a validation report). Null for runs "
               "before it was counted.", min_value=0),
    ),
    ("run_id",),
)

QUARANTINE = Table(
    "quarantine",
    "Rows and files kept out of the warehouse, with the reason. Every file seen is loaded or quarantined.",
    "append",
    (
        _id("quarantine_id", "Id of the quarantine record."),
        _RUN_ID,
        Column("table_name", "VARCHAR", "Table the row was meant for (`files` for a rejected input file).", nullable=False),
        Column("record_key", "VARCHAR", "Primary key of the rejected row (or the seed name).", nullable=False),
        Column("seed_name", "VARCHAR", "Input file the row came from."),
        Column("check_name", "VARCHAR", "Check or expectation that failed (e.g. `decode`, `expect_column_values_to_not_be_null`).",
               nullable=False),
        Column("reason", "VARCHAR", "Human-readable reason.", nullable=False),
        Column("row_json", "JSON", "The rejected row as JSON (null for rejected files)."),
        Column("quarantined_at", "TIMESTAMP", "When (UTC).", nullable=False),
    ),
    ("quarantine_id",),
)

MANIFEST = Table(
    "manifest",
    "One row per input file the last run saw: its content hash and what became of it. A file whose hash "
    "and code version are unchanged is skipped by the next run.",
    "state",
    (
        _id("seed_name", "Path of the input file relative to the seeds folder."),
        Column("article_id", "VARCHAR", "Article id the file loads as.", nullable=False),
        Column("content_sha256", "VARCHAR", "SHA-256 of its bytes; null when it could not be read."),
        Column("size_bytes", "BIGINT", "Size in bytes; null when it could not be read."),
        Column("status", "VARCHAR", "`loaded` or `quarantined` (see `quarantine` for why).", nullable=False,
               allowed=("loaded", "quarantined")),
        Column("check_name", "VARCHAR", "Why it is quarantined (null when loaded)."),
        Column("code_version", "VARCHAR", "Code version that processed it.", nullable=False),
        Column("first_seen_run", "VARCHAR", "Run that first saw the file.", nullable=False),
        Column("processed_run", "VARCHAR", "Run that last (re)processed it.", nullable=False),
        Column("seen_run", "VARCHAR", "Last run that saw it.", nullable=False),
    ),
    ("seed_name",),
)

VALIDATION_RESULTS = Table(
    "validation_results",
    "One row per expectation per validated table per run: what Great Expectations checked and what failed.",
    "append",
    (
        _id("result_id", "Id of the result (run, table, expectation)."),
        _RUN_ID,
        Column("table_name", "VARCHAR", "Table validated.", nullable=False),
        Column("expectation", "VARCHAR", "GX expectation type, e.g. `expect_column_values_to_not_be_null`.",
               nullable=False),
        Column("column_name", "VARCHAR", "Column (or check column) it applies to; null for table-level ones."),
        Column("kwargs", "JSON", "The expectation's arguments.", nullable=False),
        Column("success", "BOOLEAN", "Whether every row passed.", nullable=False),
        Column("element_count", "INTEGER", "Rows validated.", nullable=False, min_value=0),
        Column("unexpected_count", "INTEGER", "Rows that failed (and went to `quarantine`).", nullable=False,
               min_value=0),
        Column("validated_at", "TIMESTAMP", "When (UTC).", nullable=False),
    ),
    ("result_id",),
)

# Ends the `validation_results.result_id` of the second validation pass of a run that quarantined an article
# (the cross-article tables are derived again without it and validated again).
REDERIVED_SUFFIX = "-rederived"

TABLES: tuple[Table, ...] = (
    ARTICLES, RAW_DOCUMENTS, ARTICLE_CLUTTER, STORIES, ARTICLE_ENTITIES, ENTITIES, ENTITY_ALIASES, ENTITY_MENTIONS, ENTITY_ROLES,
    QUOTES, TEMPORAL_EXPRESSIONS, EVENT_MENTIONS, EVENTS, STORY_EVENTS, CONFLICTS, RUNS, QUARANTINE, VALIDATION_RESULTS, MANIFEST,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
# What extraction produces per article, kept as-is in the `staging` schema for incremental runs.
STAGED_TABLES: tuple[str, ...] = ("articles", "raw_documents", "article_clutter", "article_entities",
                                  "entity_mentions", "entity_roles", "quotes", "temporal_expressions",
                                  "event_mentions")
STAGING_SCHEMA = "staging"
STAGING_DESCRIPTION = ("Internal, not for analysis: the extraction output of each article kept exactly as it came "
                       "out (the same columns as the analyst table of this name, before cross-article resolution), "
                       "so an incremental run need not extract unchanged files again.")
META_DESCRIPTION = ("Internal: a fingerprint of the contract the tables were last loaded with (`schema_version`); each "
                    "run compares the tables themselves with the contract (schema drift: `warehouse.drift`).")

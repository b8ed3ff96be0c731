"""Corpus stage: cross-article derivations over all per-article frames (entity ids, stories).

Input and output are frames; rerunning it on the full set of articles always gives the same result,
which is what keeps derived tables consistent after any add, change or removal of an article.
Duplicates and reposts are marked first (`transforms.resolve.duplicates`): a duplicate is left out of every
derivation, a repost counts as its original's source.
"""

from __future__ import annotations

import json

import polars as pl

from transforms.resolve import timeline
from transforms.article import stable_id
from contract.window import DateWindow
from transforms.dates import spec_from_json
from transforms.resolve.duplicates import FILE_TABLES, duplicate_ids, mark_copies, source_of
from transforms.resolve.entities import resolve_entities
from transforms.frames import Frames, drop_articles
from transforms.resolve.stories import cluster_stories
from transforms.resolve.story_events import Report, story_event_tables, year_disputed_articles
import contract

# What a duplicate takes from its original: it was left out of clustering and dating, and its text is the same.
FROM_ORIGINAL = ("story_id", "reference_date", "reference_date_source", "reference_precision", "writing_date")


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
    """Resolve entities across all articles and write the entity ids into every frame that refers to one
    (after `assign_stories`: an acronym alone is read within its story)."""
    articles = frames["articles"]
    story_of = dict(zip(articles["article_id"], articles["story_id"])) if "story_id" in articles.columns else None
    assignments, entities, aliases = resolve_entities(frames["article_entities"], frames["entity_mentions"],
                                                      frames.get("entity_roles"), story_of)
    out = dict(frames)
    out["entities"] = contract.conform(entities, contract.ENTITIES)
    out["entity_aliases"] = contract.conform(aliases, contract.ENTITY_ALIASES)
    for name, key, target in (("article_entities", "local_key", "entity_id"),
                              ("entity_mentions", "local_key", "entity_id"),
                              ("quotes", "speaker_local_key", "speaker_entity_id"),
                              ("entity_roles", "local_key", "entity_id")):
        table = contract.TABLES_BY_NAME[name]
        out[name] = contract.conform(_map_key(frames[name], assignments, key, target), table)
    # Role-only persons no named person in the corpus matched are not entities: their rows go, and a quote
    # they spoke keeps the role as its speaker name.
    for name in ("article_entities", "entity_mentions", "entity_roles"):
        out[name] = out[name].filter(pl.col("entity_id").is_not_null())
    out["_entity_assignments"] = assignments
    return out


def assign_stories(frames: Frames) -> Frames:
    """Cluster all articles into stories; fill `articles.story_id` and the `stories` table."""
    articles = frames["articles"]
    assignment = cluster_stories(articles["article_id"].to_list(), articles["title"].to_list(),
                                 articles["body"].to_list())
    story_ids = pl.DataFrame({"article_id": list(assignment), "story_id": list(assignment.values())})
    articles = contract.conform(articles.drop("story_id").join(story_ids, on="article_id", how="left"),
                                contract.ARTICLES)
    stories = (  # first and last publication come later (`date_stories`), once reference dates exist
        articles.join(source_of(articles), on="article_id", how="left").sort("article_id")
        .group_by("story_id", maintain_order=True)
        .agg(pl.col("title").drop_nulls().first().alias("title"), pl.len().cast(pl.Int32).alias("article_count"),
             pl.col("_source").n_unique().cast(pl.Int32).alias("source_count"))
    )
    return {**frames, "articles": articles, "stories": contract.conform(stories, contract.STORIES)}


def _article_dates(articles: pl.DataFrame, expressions: pl.DataFrame) -> list[timeline.ArticleDates]:
    by_article: dict[str, list[timeline.Expression]] = {}
    for row in expressions.sort("article_id", "start_char").iter_rows(named=True):
        by_article.setdefault(row["article_id"], []).append(timeline.Expression(
            row["expression_id"], row["article_id"], row["start_char"], row["end_char"], row["text"],
            spec_from_json(row["spec"])))
    return [timeline.ArticleDates(r["article_id"], r["story_id"], r["published_date"], by_article.get(r["article_id"], []))
            for r in articles.iter_rows(named=True)]


def _event_rows(article_id: str, groups: list[list[timeline.Mention]], raw: dict[str, dict],
                expressions: dict[str, timeline.Expression], ref: timeline.Reference | None, bounds: bool
                ) -> tuple[list[dict], dict[str, str]]:
    """One `events` row per group, and the event id of each grouped mention; `bounds`: the reference date is an
    upper bound for what the article reports done (`timeline.bounds_the_article`)."""
    rows = []
    event_of: dict[str, str] = {}
    for group in groups:
        main = timeline.representative(group)
        value, basis = timeline.event_value(group)
        if value is None and basis is None:
            value, basis = timeline.upper_bound(group, ref if bounds else None)
        dated_by = next((m for m in sorted(group, key=lambda m: m.basis not in {"stated", "reported"})
                         if (m.value is not None and m.value == value) or (value is None and m.basis == basis)), None)
        expression = expressions.get(dated_by.date_expression_id or "") if dated_by else None
        ordered = sorted(group, key=lambda m: m.trigger_start)
        attributes: dict[str, int] = {}
        for m in ordered:
            for name, number in json.loads(raw[m.mention_id]["attributes"] or "{}").items():
                attributes.setdefault(name, number)
        actors = list(dict.fromkeys(k for m in [main, *ordered] for k in raw[m.mention_id]["actor_local_keys"] or []))
        location = next((raw[m.mention_id]["location_local_key"] for m in [main, *ordered]
                         if raw[m.mention_id]["location_local_key"] is not None), None)
        event_id = stable_id(article_id, main.event_type, main.start, main.end, main.trigger)
        event_of.update({m.mention_id: event_id for m in group})
        rows.append({
            "event_id": event_id, "article_id": article_id, "event_type": main.event_type, "trigger": main.trigger,
            "event_date": value.value if value else None, "date_precision": value.precision if value else None,
            "date_text": expression.text if expression else None, "date_basis": basis,
            # a date that carries its own year (all that resolves without a reference) is not inferred
            "date_inferred": value is not None
            and (basis == "inherited" or (ref is not None and ref.source != "published")),
            "modality": timeline.group_modality(group),
            "evidence": raw[main.mention_id]["evidence"], "start_char": main.start, "end_char": main.end,
            "mention_count": len(group), "attributes": json.dumps(attributes, sort_keys=True) if attributes else None,
            "actor_local_keys": actors, "location_local_key": location,
        })
    return rows, event_of


def screen_published_dates(articles: pl.DataFrame, window: DateWindow) -> pl.DataFrame:
    """An implausible publication date (before the window, or after the run: "2099") is no date: the field
    is emptied, the date kept as written in `published_date_text`, and the reason noted in `field_issues`."""
    day = pl.col("published_date")
    bad = day.is_not_null() & ~day.is_between(window.earliest, window.latest_published)
    issue = pl.format("published_date: implausible ({}), outside {} to {}; kept as text in published_date_text",
                      day.cast(pl.String), pl.lit(window.earliest.isoformat()),
                      pl.lit(window.latest_published.isoformat()))
    return articles.with_columns(
        pl.when(bad).then(pl.coalesce("published_date_text", day.cast(pl.String)))
        .otherwise(pl.col("published_date_text")).alias("published_date_text"),
        pl.when(bad).then(pl.col("field_issues").fill_null([]).list.concat(pl.concat_list(issue)))
        .otherwise(pl.col("field_issues")).alias("field_issues"),
        pl.when(bad).then(None).otherwise(pl.col("published_date_source")).alias("published_date_source"),
        pl.when(bad).then(None).otherwise(day).alias("published_date"))


def date_events(frames: Frames, window: DateWindow) -> Frames:
    """Reference dates (with story context), resolved date expressions, and events folded from mentions.
    Dates outside `window` are kept as text and marked implausible, never used."""
    articles = frames["articles"]  # publication dates screened already (`screen_published_dates`)
    expressions_frame = frames["temporal_expressions"]
    dated_articles = _article_dates(articles, expressions_frame)
    refs = timeline.infer_references(dated_articles, window)
    expressions = {e.expression_id: e for a in dated_articles for e in a.expressions}
    own_expressions = {a.article_id: a.expressions for a in dated_articles}
    resolved = []
    # no reference: only expressions that carry their own year resolve
    unknown = timeline.Reference(None, window=window)
    anchors = {k: v for a in dated_articles
               for k, v in timeline.narrative_anchors(a.expressions, refs.get(a.article_id, unknown)).items()}
    for row in expressions_frame.iter_rows(named=True):
        ref = refs.get(row["article_id"], unknown)
        spec, anchor = expressions[row["expression_id"]].spec, anchors.get(row["expression_id"])
        value = ref.resolve(spec, anchor)
        resolved.append({**row, "resolved_date": value.value if value else None,
                         "date_precision": value.precision if value else None,
                         "implausible": ref.implausible(spec, anchor)})
    bodies = dict(zip(articles["article_id"], articles["body"]))
    mention_rows = list(frames["event_mentions"].iter_rows(named=True))
    raw = {r["mention_id"]: {**r, "evidence": bodies[r["article_id"]][r["start_char"]:r["end_char"]]}
           for r in mention_rows}
    by_article: dict[str, list[timeline.Mention]] = {}
    for r in mention_rows:
        by_article.setdefault(r["article_id"], []).append(timeline.Mention(
            r["mention_id"], r["article_id"], r["event_type"], r["trigger"], r["start_char"], r["end_char"],
            r["trigger_start"], r["paragraph_no"], r["status"], r["modality"], r["tense"], r["is_background"],
            r["is_anaphoric"], r["date_expression_id"], r["date_via"]))
    event_rows: list[dict] = []
    status_of: dict[str, str] = {}
    event_of: dict[str, str] = {}
    for article_id, mentions in by_article.items():
        ref = refs.get(article_id)
        dated = timeline.inherit_dates(timeline.date_mentions(mentions, expressions, ref or unknown, anchors))
        grouped, groups = timeline.group_mentions(dated, ref)
        status_of.update({m.mention_id: m.status for m in grouped})
        bounds = timeline.bounds_the_article(ref, own_expressions.get(article_id, []))
        rows, events_of_mentions = _event_rows(article_id, groups, raw, expressions, ref, bounds)
        event_rows += rows
        event_of.update(events_of_mentions)
    reference_rows = pl.DataFrame(
        [{"article_id": aid, "reference_date": ref.day, "reference_precision": ref.precision,
          "reference_date_source": ref.source, "writing_date": ref.writing} for aid, ref in refs.items()],
        schema={"article_id": pl.String, "reference_date": pl.Date, "reference_precision": pl.String,
                "reference_date_source": pl.String, "writing_date": pl.Date})
    articles = articles.drop("reference_date", "reference_precision", "reference_date_source", "writing_date") \
        .join(reference_rows, on="article_id", how="left")
    return {**frames,
            "articles": contract.conform(articles, contract.ARTICLES),
            "temporal_expressions": contract.rows_to_frame(resolved, contract.TEMPORAL_EXPRESSIONS),
            "event_mentions": contract.rows_to_frame(
                [dict(r, status=status_of.get(r["mention_id"], r["status"]), event_id=event_of.get(r["mention_id"]))
                 for r in mention_rows], contract.EVENT_MENTIONS),
            "events": contract.rows_to_frame(event_rows, contract.EVENTS)}


def link_event_entities(frames: Frames) -> Frames:
    """Entity ids of event places and actors, from the within-article keys."""
    assignments = frames["_entity_assignments"]
    events = _map_key(frames["events"], assignments, "location_local_key", "location_entity_id")
    events = _map_key_list(events, assignments, "actor_local_keys", "actor_entity_ids", "event_id")
    return {**frames, "events": contract.conform(events, contract.EVENTS)}


def _report(row: dict, meta: dict, order: int, places: frozenset[str]) -> Report:
    """A story-event report of one `events` row; an `on_or_before` date is carried as a bound, not a date."""
    bounded = row["date_basis"] == "on_or_before"
    return Report(row["event_id"], row["article_id"], meta["story_id"], meta["_source"], row["event_type"],
                  None if bounded else row["event_date"], None if bounded else row["date_precision"], order,
                  tuple(sorted(json.loads(row["attributes"] or "{}").items())), row["location_entity_id"],
                  row["evidence"], places, row["modality"], meta["_own_time"], row["date_basis"],
                  row["event_date"] if bounded else None, row["date_precision"] if bounded else None)


def resolve_story_events(frames: Frames) -> Frames:
    """One `story_events` row per real event of a story; `conflicts` where its reports disagree."""
    articles = frames["articles"].join(source_of(frames["articles"]), on="article_id", how="left").with_columns(
        pl.coalesce("published_date", "reference_date").alias("_when"),
        pl.coalesce("writing_date", "reference_date").alias("_own_time"))
    order = {aid: i for i, aid in enumerate(articles.sort("_when", "article_id", nulls_last=True)["article_id"])}
    meta = {r["article_id"]: r
            for r in articles.select("article_id", "story_id", "_source", "_own_time").iter_rows(named=True)}
    place_ids = set(frames["entities"].filter(pl.col("entity_type").is_in(["GPE", "LOC", "FAC"]))["entity_id"])
    named: dict[str, frozenset[str]] = {
        aid: frozenset(ids) & place_ids for aid, ids in
        frames["entity_mentions"].group_by("article_id").agg(pl.col("entity_id").unique()).iter_rows()}
    reports = [_report(r, meta[r["article_id"]], order[r["article_id"]], named.get(r["article_id"], frozenset()))
               for r in frames["events"].iter_rows(named=True) if meta[r["article_id"]]["story_id"] is not None]
    story_rows, conflict_rows, links = story_event_tables(reports)
    link_frame = pl.DataFrame({"event_id": list(links), "story_event_id": list(links.values())},
                              schema={"event_id": pl.String, "story_event_id": pl.String})
    events = frames["events"].drop("story_event_id").join(link_frame, on="event_id", how="left")
    return {**frames, "events": contract.conform(events, contract.EVENTS),
            "stories": date_stories(frames["stories"], frames["articles"], year_disputed_articles(conflict_rows)),
            "story_events": contract.rows_to_frame(story_rows, contract.STORY_EVENTS),
            "conflicts": contract.rows_to_frame(conflict_rows, contract.CONFLICTS)}


def date_stories(stories: pl.DataFrame, articles: pl.DataFrame, wrong_year: set[str]) -> pl.DataFrame:
    """First and last publication of each story from its articles' real dates: the stated publication date,
    else a day-precise reference date, unless other sources contradict that article's year."""
    trusted = (pl.col("reference_precision") == "day") & ~pl.col("article_id").is_in(list(wrong_year))
    when = pl.coalesce("published_date", pl.when(trusted).then(pl.col("reference_date")))
    spans = articles.group_by("story_id").agg(when.min().alias("first_published"),
                                               when.max().alias("last_published"))
    return contract.conform(stories.drop("first_published", "last_published").join(spans, on="story_id", how="left"),
                            contract.STORIES)


def restore_duplicates(derived: Frames, marked: Frames) -> Frames:
    """The derived frames plus the file-level rows of the duplicates left out of them, in input order; a
    duplicate takes its original's story and reference date (its relative dates mean what the original's do)."""
    articles = marked["articles"]
    originals = derived["articles"].select(pl.col("article_id").alias("duplicate_of"), *FROM_ORIGINAL)
    duplicates = articles.filter(pl.col("duplicate_of").is_not_null()).drop(FROM_ORIGINAL) \
        .join(originals, on="duplicate_of", how="left")
    position = articles.select("article_id", pl.int_range(pl.len()).alias("_pos"))
    restored = pl.concat([derived["articles"], contract.conform(duplicates, contract.ARTICLES)]) \
        .join(position, on="article_id", how="left").sort("_pos").drop("_pos")
    files = {name: marked[name] for name in FILE_TABLES if name != "articles" and name in marked}
    return {**derived, **files, "articles": restored}


def derive_corpus(frames: Frames, window: DateWindow) -> Frames:
    """Everything cross-article, from the full set of per-article frames. Duplicates are marked and left out
    of every derivation, then their file-level rows are put back (see `transforms.resolve.duplicates`). `window`
    holds the plausible dates (the run date comes from the flow: nothing here reads the clock)."""
    marked = {**frames, "articles": mark_copies(screen_published_dates(frames["articles"], window))}
    analysed = drop_articles(marked, duplicate_ids(marked["articles"]))
    derived = resolve_story_events(link_event_entities(date_events(link_entities(assign_stories(analysed)),
                                                                   window)))
    derived.pop("_entity_assignments")
    return restore_duplicates(derived, marked)

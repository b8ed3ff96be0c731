"""Write the story report (`reports.story_report`) of a warehouse into a folder: its rows read from the
analyst views (`timeline_all`, `who_said_what`, `disputed_claims`, `entity_article_mentions`) and tables
(`stories`, `articles`, `article_clutter`, `events`) on a connection the caller opened read-only.

Each page is written to a temporary file and renamed over the old one, the index last, as the validation
report does. `png=True` also rasterises each timeline SVG to PNG with resvg (a wheel, no system library).
Through `warehouse.output_folder.OutputFolder`: nothing is written outside the folder or through a link
inside it, and a re-report removes only pages an earlier report recorded writing (`.newsetl-output.json`),
never a file a user put beside them.
"""

from __future__ import annotations

import time
from pathlib import Path

from warehouse.output_folder import OutputFolder, database_path
from warehouse.output_record import REPORT
from reports.story_report import INDEX_PAGE, StoryData, render_site, timeline_png_path, timeline_svg

OUTLET = "coalesce(a.source_domain, a.agency, a.seed_name)"  # as `disputed_claims` names a source

STORIES_SQL = ("SELECT story_id, title, article_count, source_count, first_published, last_published FROM stories "
               "WHERE ? IS NULL OR story_id = ? ORDER BY last_published DESC NULLS LAST, story_id")
STORY_OUTLETS_SQL = (f"SELECT a.story_id, list(DISTINCT {OUTLET} ORDER BY {OUTLET}) AS outlets FROM articles a "
                     "WHERE a.story_id IS NOT NULL GROUP BY a.story_id")
TIMELINE_SQL = "SELECT * FROM timeline_all"
EVENT_OUTLETS_SQL = (f"SELECT ev.story_event_id, list(DISTINCT {OUTLET} ORDER BY {OUTLET}) AS outlets FROM events ev "
                     "JOIN articles a USING (article_id) WHERE ev.story_event_id IS NOT NULL GROUP BY ev.story_event_id")
QUOTES_SQL = "SELECT * FROM who_said_what ORDER BY story_id, article_id, start_char"
DISPUTES_SQL = "SELECT * FROM disputed_claims ORDER BY story_id, event_date NULLS LAST, event_type, attribute, conflict_id"
ENTITIES_SQL = """
SELECT a.story_id, m.entity_id, m.canonical_name, m.entity_type, sum(m.mentions)::BIGINT AS mentions,
       count(DISTINCT m.article_id) AS articles, list_sort(list_distinct(flatten(list(m.surfaces)))) AS surfaces
FROM entity_article_mentions m JOIN articles a USING (article_id)
WHERE a.story_id IS NOT NULL
GROUP BY ALL
"""
ARTICLES_SQL = (f"SELECT a.article_id, a.story_id, a.seed_name, a.title, {OUTLET} AS outlet, "
                "coalesce(a.published_date, a.reference_date) AS article_date, a.word_count, a.body, a.duplicate_of, "
                "a.repost_of FROM articles a WHERE a.story_id IS NOT NULL")
CLUTTER_SQL = "SELECT article_id, item_no, line_no, text, reason, kind FROM article_clutter ORDER BY article_id, item_no"


class StoryNotFound(LookupError):
    """`--story ID` names no story of the warehouse."""


def _dicts(con, sql: str, parameters: list | None = None) -> list[dict]:
    cursor = con.execute(sql, parameters or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _grouped(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def read_stories(con, story_id: str | None = None) -> list[StoryData]:
    """Every story (or the one asked for) with the rows its page shows."""
    stories = _dicts(con, STORIES_SQL, [story_id, story_id])
    if story_id is not None and not stories:
        raise StoryNotFound(f"no story {story_id!r} in the warehouse (see `SELECT story_id, title FROM stories`)")
    outlets = {row["story_id"]: row["outlets"] for row in _dicts(con, STORY_OUTLETS_SQL)}
    event_outlets = {row["story_event_id"]: row["outlets"] for row in _dicts(con, EVENT_OUTLETS_SQL)}
    timeline = _grouped([{**row, "outlets": event_outlets.get(row["story_event_id"], [])}
                         for row in _dicts(con, TIMELINE_SQL)], "story_id")
    quotes = _grouped(_dicts(con, QUOTES_SQL), "story_id")
    disputes = _grouped(_dicts(con, DISPUTES_SQL), "story_id")
    entities = _grouped(_dicts(con, ENTITIES_SQL), "story_id")
    articles = _grouped(_dicts(con, ARTICLES_SQL), "story_id")
    clutter = _grouped(_dicts(con, CLUTTER_SQL), "article_id")
    out = []
    for story in stories:
        sid = story["story_id"]
        story_articles = articles.get(sid, [])
        out.append(StoryData(story=story, outlets=outlets.get(sid, []), timeline=timeline.get(sid, []),
                             quotes=quotes.get(sid, []), disputes=disputes.get(sid, []), entities=entities.get(sid, []),
                             articles=story_articles,
                             clutter={a["article_id"]: clutter.get(a["article_id"], []) for a in story_articles}))
    return out


def timeline_png(svg: str) -> bytes:
    """The timeline SVG as PNG bytes (resvg: a Rust wheel, no system library; DejaVu or any system font)."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, background="#ffffff", zoom=2))


def write_story_report(con, out: Path | str, title: str = "Stories", story_id: str | None = None,
                       png: bool = False) -> dict:
    """Write the site into `out`; {index: path of the index, pages: {relative path: bytes written},
    png_seconds: time spent rasterising, removed: pages of an earlier report removed, notes}. Pages an
    earlier report wrote for stories and articles no longer in the warehouse are removed (not with
    `story_id`, which writes one story's pages and an index of it alone, and keeps the others)."""
    out = Path(out)
    stories = read_stories(con, story_id)
    pages = render_site(title, stories, png)
    files: dict[str, bytes] = {path: text.encode("utf-8") for path, text in pages.items()}
    png_seconds = 0.0
    if png:
        clock = time.perf_counter()
        for data in stories:
            files[timeline_png_path(data.story["story_id"])] = timeline_png(timeline_svg(data.timeline, data.story.get("title") or ""))
        png_seconds = time.perf_counter() - clock
    with OutputFolder(out, REPORT, database_path(con)) as folder:
        folder.begin(files)
        for relative in sorted(files, key=lambda name: name == INDEX_PAGE):
            folder.write(relative, files[relative])
        removed = folder.finish(set(files) if story_id is None else folder.recorded | set(files))
        notes = folder.notes
    return {"index": (out / INDEX_PAGE).resolve(), "pages": {k: len(v) for k, v in files.items()},
            "png_seconds": png_seconds, "removed": removed, "notes": notes}

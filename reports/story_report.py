"""The story report: what an analyst sees of each story, as static HTML pages. Pure: rows of the analyst
views (`warehouse.views`) and warehouse tables in, {relative path: HTML} out; `reports.story_report_writer`
queries and writes.

Readable from file:// with no network and no script, like the validation report: inline CSS, relative
links, every value HTML-escaped, and a Content-Security-Policy that lets a browser load nothing at all.
Charts are inline SVG drawn here; hovering a mark shows its SVG `<title>` (evidence and outlets).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

INDEX_PAGE = "index.html"
STORIES_FOLDER = "stories"
ARTICLES_FOLDER = "articles"
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
# No request of any kind: a page that tried to load something (a font, an image, a script) is refused.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
ENTITY_TYPE_ORDER = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")
ENTITY_TYPE_NAMES = {"PERSON": "People", "ORG": "Organisations", "GPE": "Places (countries, cities)",
                     "LOC": "Places", "NORP": "Groups (nationalities, religious, political)", "FAC": "Facilities"}

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1em auto; max-width: 84em; padding: 0 1em; color: #1d232b; }
h1 { font-size: 1.4em; margin: .2em 0; } h2 { font-size: 1.2em; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
nav a { margin-right: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th, td { border: 1px solid #d5dae1; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eef1f5; } td.num, th.num { text-align: right; } td.nowrap { white-space: nowrap; }
.note { color: #55606e; } .disputed { color: #b3141b; font-weight: 600; }
svg.timeline { display: block; max-width: 100%; height: auto; border: 1px solid #d5dae1; background: #fff; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; border: 1px solid #d5dae1; padding: .5em 1em;
        margin: .6em 0; } .side h3 { margin: .2em 0; }
blockquote { margin: .3em 0 .6em 1em; padding-left: .8em; border-left: 3px solid #d5dae1; }
.articlebody { white-space: pre-wrap; font: 15px/1.55 Georgia, serif; max-width: 46em; }
mark { background: #fff0a6; } mark:target { background: #ffd24d; outline: 2px solid #c99700; }
del { color: #8a2a2a; } ul.clutter li { margin: .15em 0; }
"""


def _e(value) -> str:
    """A value as escaped text; nothing for null."""
    return "" if value is None else html.escape(str(value), quote=True)


def _safe(name: str, prefix: str) -> str:
    return name if _SAFE_NAME.fullmatch(name) else f"{prefix}-" + hashlib.sha256(name.encode()).hexdigest()[:16]


def story_page_path(story_id: str) -> str:
    return f"{STORIES_FOLDER}/{_safe(story_id, 'story')}.html"


def timeline_png_path(story_id: str) -> str:
    return f"{STORIES_FOLDER}/{_safe(story_id, 'story')}-timeline.png"


def article_page_path(article_id: str) -> str:
    return f"{ARTICLES_FOLDER}/{_safe(article_id, 'article')}.html"


def quote_anchor(quote_id: str) -> str:
    return "q-" + _safe(quote_id, "quote")


def _link(href: str, label: str) -> str:
    return f'<a href="{_e(href)}">{_e(label)}</a>'


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _table(headers: Iterable[str], rows: Iterable[str], numeric: Iterable[str] = ()) -> str:
    numeric = set(numeric)
    head = "".join(f'<th class="num">{_e(h)}</th>' if h in numeric else f"<th>{_e(h)}</th>" for h in headers)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(value: date | None, precision: str | None = "day") -> str:
    """A date as precise as it is known: `2021`, `Oct 2025`, `19 Oct 2025`."""
    if value is None:
        return "undated"
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


# ---------------------------------------------------------------------------------------------- timeline


@dataclass
class StoryData:
    """Everything one story page shows, as rows of the views and tables (see the writer's queries)."""

    story: dict
    outlets: list[str]
    timeline: list[dict]  # `timeline_all` rows, each with `outlets` (its articles' outlets)
    quotes: list[dict]  # `who_said_what` rows
    disputes: list[dict]  # `disputed_claims` rows
    entities: list[dict]  # per entity: `entity_article_mentions` summed over the story's articles
    articles: list[dict]  # `articles` rows (article_id, seed_name, title, outlet, date, body, ...)
    clutter: dict[str, list[dict]] = field(default_factory=dict)  # article_id -> `article_clutter` rows


def is_charted(event: dict) -> bool:
    """On the chart: events that happened and have a date. Undated and planned ones are listed apart."""
    return event.get("event_date") is not None and event.get("modality") == "happened"


_PRECISION_RANK = {"year": 0, "month": 1, "week": 2, "day": 3}
COLUMN_WIDTH, ROW_HEIGHT, TOP, AXIS_HEIGHT, LEFT = 124, 58, 56, 44, 16
LEGEND_WIDTH = 600  # the chart is at least this wide when it has the on-or-before legend line, so it is not cut


BOUND_BASIS = "on_or_before"  # `date_basis` of an event dated only by an upper bound (its article's date)
# How each `date_basis` dated an event, in the words of the legend and the hover text.
BASIS_WORDS = {"stated": "date stated for the event", "reported": "date of the statement reporting it",
               "inherited": "date of the event before it in the passage", "reference": "under way on the article's date",
               BOUND_BASIS: "not dated by the text; reported done, so on or before its article's date"}


def event_date_label(event: dict) -> str:
    """The date as shown: "≤ 5 May 2010" for an upper bound, so it is never read as the day it happened."""
    shown = format_date(event.get("event_date"), event.get("date_precision"))
    return f"≤ {shown}" if event.get("date_basis") == BOUND_BASIS else shown


def _mark_title(event: dict) -> str:
    outlets = ", ".join(event.get("outlets") or []) or "unknown"
    basis = event.get("date_basis")
    lines = [f"{event['event_type']}, {event_date_label(event)} ({event.get('date_precision') or 'day'})"
             + (f"; dated by: {BASIS_WORDS.get(basis, basis)}" if basis else ""),
             f"{event.get('source_count') or 0} source(s), {event.get('article_count') or 0} article(s): {outlets}"]
    if event.get("disputed"):
        lines.append(f"DISPUTED: sources disagree ({event.get('conflict_count') or 0} conflict(s))")
    if event.get("evidence"):
        lines.append(f"Evidence: {event['evidence']}")
    return "\n".join(lines)


def timeline_svg(events: list[dict], title: str = "") -> str:
    """The story's dated events as an SVG chart: one column per date (in order; spacing is not to scale, the
    seeds span years), one circle per event stacked in its column, sized by its number of sources, red and
    labelled "disputed" when sources disagree; hovering shows the evidence sentence and outlets. Standalone
    (xmlns, width and height), so the same text rasterises to PNG."""
    charted = [e for e in events if is_charted(e)]
    columns: dict[tuple, list[dict]] = defaultdict(list)
    for event in charted:  # an upper bound gets a column of its own, after the dates it bounds
        columns[(event["event_date"], _PRECISION_RANK.get(event.get("date_precision") or "day", 3),
                 event.get("date_basis") == BOUND_BASIS)].append(event)
    keys = sorted(columns)
    rows = max((len(v) for v in columns.values()), default=1)
    width = LEFT * 2 + COLUMN_WIDTH * max(len(keys), 1)
    if any(bounded for _, _, bounded in keys):
        width = max(width, LEGEND_WIDTH)
    height = TOP + ROW_HEIGHT * rows + AXIS_HEIGHT
    axis_y = height - AXIS_HEIGHT + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title or "timeline")}" '
             'font-family="DejaVu Sans, Arial, sans-serif">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
             f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold" fill="#1d232b">{_e(title)}</text>',
             f'<text x="{LEFT}" y="40" font-size="11" fill="#55606e">one circle per dated event (size: sources); '
             'red: sources disagree; columns in date order, not to scale; hover for evidence</text>',
             f'<text x="{LEFT}" y="{TOP - 4}" font-size="11" fill="#55606e">open circle, "≤": not dated by the text; '
             "reported done, so on or before its article's date</text>" if any(k[2] for k in keys) else "",
             f'<line x1="{LEFT}" y1="{axis_y}" x2="{width - LEFT}" y2="{axis_y}" stroke="#8893a0" stroke-width="1"/>']
    if not keys:
        parts.append(f'<text x="{LEFT}" y="{TOP + 20}" font-size="12" fill="#55606e">no dated events</text>')
    for index, key in enumerate(keys):
        cx = LEFT + COLUMN_WIDTH * index + COLUMN_WIDTH // 2
        column = sorted(columns[key], key=lambda e: (not e.get("disputed"), e["event_type"]))
        first = column[0]
        parts.append(f'<line x1="{cx}" y1="{TOP}" x2="{cx}" y2="{axis_y}" stroke="#e3e7ec" stroke-width="1"/>')
        parts.append(f'<text x="{cx}" y="{axis_y + 16}" font-size="11" text-anchor="middle" fill="#1d232b">'
                     f'{_e(event_date_label(first))}</text>')
        for row, event in enumerate(column):
            cy = TOP + ROW_HEIGHT * row + 12
            sources = int(event.get("source_count") or 0)
            radius = min(5 + 2.5 * sources, 14)
            disputed = bool(event.get("disputed"))
            fill, stroke = ("#d62728", "#8c1016") if disputed else ("#3b73b9", "#1f4b80")
            if event.get("date_basis") == BOUND_BASIS:
                fill = "#ffffff"  # open marker: only an upper bound is known
            label = f"{event['event_type'].replace('_', ' ')} · {sources} src"
            parts.append(
                f'<g class="event{" disputed" if disputed else ""}" data-event-id="{_e(event.get("story_event_id"))}">'
                f'<title>{_e(_mark_title(event))}</title>'
                f'<circle cx="{cx}" cy="{cy}" r="{radius:g}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
                f'<text x="{cx}" y="{cy + radius + 12:g}" font-size="11" text-anchor="middle" fill="#1d232b">'
                f'{_e(label)}</text>'
                + (f'<text x="{cx}" y="{cy + radius + 24:g}" font-size="11" font-weight="bold" text-anchor="middle" '
                   f'fill="#b3141b">disputed</text>' if disputed else "")
                + "</g>")
    parts.append("</svg>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------- article body


def highlighted_body(body: str, quotes: Iterable[dict]) -> str:
    """The body escaped, each quote wrapped in `<mark id="q-...">` at exactly `body[start_char:end_char]`. A quote
    overlapping an earlier marked one is left unmarked (marks cannot overlap); its link lands on the article."""
    spans = sorted(((q["start_char"], q["end_char"], q["quote_id"]) for q in quotes
                    if q.get("start_char") is not None and q.get("end_char") is not None
                    and 0 <= q["start_char"] < q["end_char"] <= len(body)), key=lambda s: (s[0], -s[1]))
    out, position = [], 0
    for start, end, quote_id in spans:
        if start < position:
            continue
        out.append(_e(body[position:start]))
        out.append(f'<mark id="{quote_anchor(quote_id)}">{_e(body[start:end])}</mark>')
        position = end
    out.append(_e(body[position:]))
    return "".join(out)


def marked_quote_ids(body: str, quotes: Iterable[dict]) -> set[str]:
    """The quotes `highlighted_body` marks (the others are linked to the article's top)."""
    return set(re.findall(r'<mark id="q-([^"]+)">', highlighted_body(body, quotes)))


def article_page(article: dict, story: dict | None, quotes: list[dict], clutter: list[dict]) -> str:
    quotes = [q for q in quotes if q["article_id"] == article["article_id"]]
    nav = f'<nav><a href="../{INDEX_PAGE}">All stories</a>'
    if story:
        nav += f'<a href="../{story_page_path(story["story_id"])}">Story: {_e(story.get("title"))}</a>'
    nav += "</nav>"
    meta = (f'<p class="note">{_e(article.get("outlet"))} · {_e(format_date(article.get("article_date")))} · '
            f'file <code>{_e(article.get("seed_name"))}</code> · {_e(article.get("word_count"))} words · '
            f'{len(quotes)} quote(s) highlighted</p>')
    removed = [f'<li><del>{_e(c["text"])}</del> <span class="note">({_e(c["kind"])}: {_e(c["reason"])}, '
               f'line {_e(c["line_no"])})</span></li>' for c in sorted(clutter, key=lambda c: c["item_no"])]
    clutter_html = ("<h2>Removed by cleaning</h2>\n<p class=\"note\">Lines of the raw document kept out of the body "
                    "(from <code>article_clutter</code>), struck through; metadata lines were moved into the "
                    "article's columns.</p>\n<ul class=\"clutter\">\n" + "\n".join(removed) + "\n</ul>"
                    if removed else "<h2>Removed by cleaning</h2>\n<p class=\"note\">Nothing was removed.</p>")
    body = (f"{nav}\n<h1>{_e(article.get('title') or article.get('seed_name'))}</h1>\n{meta}\n"
            f'<h2>Body</h2>\n<div class="articlebody">{highlighted_body(article.get("body") or "", quotes)}</div>\n'
            f"{clutter_html}")
    return _page(article.get("title") or article.get("seed_name") or "article", body)


# ---------------------------------------------------------------------------------------------- story page


def _events_apart(events: list[dict]) -> str:
    apart = [e for e in events if not is_charted(e)]
    if not apart:
        return '<p class="note">Every event is dated and happened: all are on the chart.</p>'
    rows = [f'<tr><td>{_e(e["event_type"])}</td><td>{_e(e.get("modality"))}</td>'
            f'<td class="nowrap">{_e(event_date_label(e))}</td>'
            f'<td class="num">{_e(e.get("source_count"))}</td><td>{_e(", ".join(e.get("outlets") or []))}</td>'
            f'<td>{"<span class=disputed>disputed</span>" if e.get("disputed") else ""}</td>'
            f'<td>{_e(e.get("evidence"))}</td></tr>' for e in apart]
    return _table(("event", "modality", "date", "sources", "outlets", "disputed", "evidence"), rows, ("sources",))


def _who_said_what(quotes: list[dict], marked: set[str]) -> str:
    if not quotes:
        return '<p class="note">No quotations.</p>'
    by_speaker: dict[str, list[dict]] = defaultdict(list)
    for quote in quotes:
        by_speaker[quote.get("speaker") or "(unattributed)"].append(quote)
    speakers = sorted(by_speaker, key=lambda s: (-len(by_speaker[s]), s))
    summary = _table(("speaker", "type", "quotes"),
                     (f'<tr><td><a href="#speaker-{i}">{_e(s)}</a></td>'
                      f'<td>{_e(by_speaker[s][0].get("speaker_type"))}</td>'
                      f'<td class="num">{len(by_speaker[s])}</td></tr>' for i, s in enumerate(speakers)), ("quotes",))
    parts = [summary]
    for i, speaker in enumerate(speakers):
        parts.append(f'<h3 id="speaker-{i}">{_e(speaker)} <span class="note">({len(by_speaker[speaker])})</span></h3>')
        for q in sorted(by_speaker[speaker], key=lambda q: (str(q.get("article_date")), q["article_id"], q["start_char"])):
            target = article_page_path(q["article_id"])
            if q["quote_id"] in marked:
                target += "#" + quote_anchor(q["quote_id"])
            parts.append(f'<blockquote>“{_e(q["quote_text"])}”<br><span class="note">{_e(q.get("attribution_verb"))} · '
                         f'<a href="../{_e(target)}">{_e(q.get("title") or q.get("seed_name"))}</a>, '
                         f'{_e(format_date(q.get("article_date")))}</span></blockquote>')
    return "\n".join(parts)


def _disputes(disputes: list[dict]) -> str:
    if not disputes:
        return '<p class="note">No disputed claims.</p>'
    parts = []
    for d in disputes:
        sides = "".join(
            f'<div><p><b>{_e(d[f"value_{x}"])}</b> — {_e(d.get(f"source_{x}"))}</p>'
            f'<p class="note">{_e(d.get(f"title_{x}"))}</p><blockquote>{_e(d.get(f"evidence_{x}"))}</blockquote></div>'
            for x in "ab")
        parts.append(
            f'<h3>{_e(d["event_type"])} ({_e(format_date(d.get("event_date")))}): {_e(d["attribute"])} '
            f'<span class="note">{_e(d["kind"])}</span></h3>\n<div class="side">{sides}</div>')
    return "\n".join(parts)


def _entities(entities: list[dict]) -> str:
    if not entities:
        return '<p class="note">No entities.</p>'
    by_type: dict[str, list[dict]] = defaultdict(list)
    for entity in entities:
        by_type[entity["entity_type"]].append(entity)
    order = sorted(by_type, key=lambda t: (ENTITY_TYPE_ORDER.index(t) if t in ENTITY_TYPE_ORDER else 99, t))
    parts = []
    for entity_type in order:
        rows = [f'<tr><td>{_e(e["canonical_name"])}</td><td class="num">{_e(e["mentions"])}</td>'
                f'<td class="num">{_e(e["articles"])}</td><td>{_e(", ".join(e.get("surfaces") or []))}</td></tr>'
                for e in sorted(by_type[entity_type], key=lambda e: (-e["mentions"], e["canonical_name"]))]
        parts.append(f"<h3>{_e(ENTITY_TYPE_NAMES.get(entity_type, entity_type))}</h3>\n"
                     + _table(("entity", "mentions", "articles", "written as"), rows, ("mentions", "articles")))
    return "\n".join(parts)


def _articles(articles: list[dict], clutter: dict[str, list[dict]]) -> str:
    rows = [f'<tr><td class="nowrap">{_e(format_date(a.get("article_date")))}</td>'
            f'<td>{_link("../" + article_page_path(a["article_id"]), a.get("title") or a["seed_name"])}</td>'
            f'<td>{_e(a.get("outlet"))}</td><td class="num">{_e(a.get("word_count"))}</td>'
            f'<td class="num">{len(clutter.get(a["article_id"], []))}</td></tr>'
            for a in sorted(articles, key=lambda a: (str(a.get("article_date")), a["seed_name"]))]
    return _table(("date", "title", "outlet", "words", "lines removed"), rows, ("words", "lines removed"))


def story_page(data: StoryData, png: bool = False) -> str:
    story = data.story
    charted = sum(1 for e in data.timeline if is_charted(e))
    disputed = sum(1 for e in data.timeline if is_charted(e) and e.get("disputed"))
    marked: set[str] = set()
    for article in data.articles:
        marked |= marked_quote_ids(article.get("body") or "", [q for q in data.quotes if q["article_id"] == article["article_id"]])
    png_link = f' · <a href="{_e(timeline_png_path(story["story_id"]).split("/")[-1])}">timeline as PNG</a>' if png else ""
    body = "\n".join([
        f'<nav><a href="../{INDEX_PAGE}">All stories</a><a href="#quotes">Who said what</a>'
        '<a href="#disputes">Disputed claims</a><a href="#entities">Entities</a><a href="#articles">Articles</a></nav>',
        f"<h1>{_e(story.get('title'))}</h1>",
        f'<p class="note">{_e(story.get("article_count"))} articles · {_e(story.get("source_count"))} sources '
        f'({_e(", ".join(data.outlets))}) · published {_e(format_date(story.get("first_published")))} – '
        f'{_e(format_date(story.get("last_published")))} · {charted} dated events, '
        f'<span class="disputed">{disputed} disputed</span>{png_link}</p>',
        timeline_svg(data.timeline, "Timeline"),
        "<h2>Undated and planned events</h2>", _events_apart(data.timeline),
        '<h2 id="quotes">Who said what</h2>', _who_said_what(data.quotes, marked),
        '<h2 id="disputes">Disputed claims</h2>', _disputes(data.disputes),
        '<h2 id="entities">Entities</h2>', _entities(data.entities),
        '<h2 id="articles">Articles</h2>', _articles(data.articles, data.clutter),
    ])
    return _page(story.get("title") or story["story_id"], body)


def index_page(title: str, stories: list[StoryData]) -> str:
    rows = [f'<tr><td>{_link(story_page_path(s.story["story_id"]), s.story.get("title") or s.story["story_id"])}</td>'
            f'<td class="num">{_e(s.story.get("article_count"))}</td><td class="num">{_e(s.story.get("source_count"))}</td>'
            f'<td>{_e(", ".join(s.outlets))}</td>'
            f'<td class="nowrap">{_e(format_date(s.story.get("first_published")))} – '
            f'{_e(format_date(s.story.get("last_published")))}</td>'
            f'<td class="num">{sum(1 for e in s.timeline if is_charted(e))}</td></tr>' for s in stories]
    body = (f"<h1>{_e(title)}</h1>\n<p class=\"note\">{len(stories)} stories. Each story's page has its timeline, who "
            "said what, disputed claims, entities and articles (with what cleaning removed).</p>\n"
            + _table(("story", "articles", "sources", "outlets", "published", "dated events"), rows,
                     ("articles", "sources", "dated events")))
    return _page(title, body)


def render_site(title: str, stories: list[StoryData], png: bool = False) -> dict[str, str]:
    """{relative path: HTML} of the whole site: the index, a page per story, a page per article."""
    pages = {INDEX_PAGE: index_page(title, stories)}
    for data in stories:
        pages[story_page_path(data.story["story_id"])] = story_page(data, png)
        for article in data.articles:
            pages[article_page_path(article["article_id"])] = article_page(
                article, data.story, data.quotes, data.clutter.get(article["article_id"], []))
    return pages

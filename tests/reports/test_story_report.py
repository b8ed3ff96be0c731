"""The story report's pure rendering: rows in, HTML out. Escaping, quote highlights at their exact offsets,
removed lines struck through, one chart mark per dated event, links that resolve inside the site."""

import html
import re
from datetime import date

from tests.helpers.report_pages import link_problems, parse
from reports.story_report import (CSP, INDEX_PAGE, StoryData, article_page, article_page_path, highlighted_body,
                                    render_site, story_page_path, timeline_svg, LEGEND_WIDTH)

BODY = 'Intro. "We <will> talk," said A & B. Later: "No deal." The end.'


def _event(event_type, day, disputed=False, modality="happened", sources=1, precision="day"):
    return {"story_event_id": f"se-{event_type}-{day}", "event_type": event_type,
            "event_date": date(2025, 10, day) if day else None, "date_precision": precision if day else None,
            "modality": modality, "source_count": sources, "article_count": sources, "disputed": disputed,
            "conflict_count": 1 if disputed else 0, "evidence": f"<b>{event_type}</b> & more", "outlets": ["AP", "x.com"]}


def _quote(quote_id, text):
    start = BODY.index(text)
    return {"quote_id": quote_id, "article_id": "a1", "story_id": "s1", "speaker": "A <Speaker>", "speaker_type": "PERSON",
            "quote_text": text, "start_char": start, "end_char": start + len(text), "title": "T", "seed_name": "a.txt",
            "article_date": date(2025, 10, 20), "attribution_verb": "said"}


QUOTES = [_quote("q1", "We <will> talk,"), _quote("q2", "No deal.")]
ARTICLE = {"article_id": "a1", "story_id": "s1", "seed_name": "a.txt", "title": "Talks <resume> & stall",
           "outlet": "AP", "article_date": date(2025, 10, 20), "word_count": 12, "body": BODY}
CLUTTER = [{"article_id": "a1", "item_no": 2, "line_no": 9, "text": "Subscribe <now>!", "reason": "navigation",
            "kind": "clutter"},
           {"article_id": "a1", "item_no": 1, "line_no": 1, "text": "By Jane", "reason": "byline", "kind": "metadata"}]
EVENTS = [_event("ceasefire", 19, disputed=True, sources=3), _event("talks", 19), _event("clash", 12),
          _event("talks", 30, modality="planned"), _event("border_reopening", None)]


def _story():
    return StoryData(story={"story_id": "s1", "title": "Border <crisis>", "article_count": 1, "source_count": 1,
                            "first_published": date(2025, 10, 20), "last_published": date(2025, 10, 20)},
                     outlets=["AP"], timeline=EVENTS, quotes=QUOTES,
                     disputes=[{"event_type": "ceasefire", "event_date": date(2025, 10, 19), "attribute": "event_date",
                                "kind": "different_year", "value_a": "2025-10-19", "source_a": "AP", "title_a": "A",
                                "evidence_a": "on <Oct 19>", "value_b": "2023-10-19", "source_b": "B", "title_b": "B",
                                "evidence_b": "in 2023"}],
                     entities=[{"entity_id": "e1", "canonical_name": "Khawaja <Asif>", "entity_type": "PERSON",
                                "mentions": 4, "articles": 1, "surfaces": ["Asif", "Khawaja Asif"]}],
                     articles=[ARTICLE], clutter={"a1": CLUTTER})


def test_each_quote_is_marked_at_exactly_its_offsets():
    rendered = highlighted_body(BODY, QUOTES)
    marks = dict(re.findall(r'<mark id="q-([^"]+)">(.*?)</mark>', rendered))
    for quote in QUOTES:
        assert html.unescape(marks[quote["quote_id"]]) == BODY[quote["start_char"]:quote["end_char"]]
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", rendered)) == BODY  # the rest of the body untouched


def test_overlapping_quotes_do_not_nest_marks():
    inner = {**QUOTES[0], "quote_id": "q3", "start_char": QUOTES[0]["start_char"] + 1}
    rendered = highlighted_body(BODY, [*QUOTES, inner])
    assert rendered.count("<mark") == 2 and html.unescape(re.sub(r"</?mark[^>]*>", "", rendered)) == BODY


def test_the_article_page_strikes_through_every_removed_line_and_escapes_text():
    page = article_page(ARTICLE, {"story_id": "s1", "title": "S"}, QUOTES, CLUTTER)
    assert re.findall(r"<del>(.*?)</del>", page) == ["By Jane", "Subscribe &lt;now&gt;!"]  # in document order
    assert "<h1>Talks &lt;resume&gt; &amp; stall</h1>" in page and "<resume>" not in page and "<will>" not in page


def test_the_timeline_has_one_mark_per_dated_event_that_happened():
    svg = timeline_svg(EVENTS, "T")
    marks = re.findall(r'<g class="event( disputed)?" data-event-id="([^"]+)">', svg)
    assert sorted(m[1] for m in marks) == ["se-ceasefire-19", "se-clash-12", "se-talks-19"]
    assert [m[1] for m in marks if m[0]] == ["se-ceasefire-19"]
    assert svg.count(">disputed</text>") == 1 and svg.count("<circle") == 3
    titles = re.findall(r"<title>(.*?)</title>", svg, re.S)
    assert any("DISPUTED" in t and "&lt;b&gt;ceasefire&lt;/b&gt; &amp; more" in t and "AP, x.com" in t for t in titles)


def test_an_event_dated_only_on_or_before_its_article_is_drawn_open_with_a_bound_label_and_a_legend():
    bounded = {**_event("clash", 20), "date_basis": "on_or_before", "story_event_id": "se-bound"}
    svg = timeline_svg([*EVENTS, bounded], "T")
    assert "≤ 20 Oct 2025" in svg and "on or before its article" in svg  # the label, and the legend line
    mark = re.search(r'data-event-id="se-bound">.*?</g>', svg, re.S).group(0)
    assert 'fill="#ffffff"' in mark and "dated by: not dated by the text" in mark
    assert "on or before its article" not in timeline_svg(EVENTS, "T")  # no legend line without such an event
    assert f'width="{LEGEND_WIDTH}"' in timeline_svg([bounded], "T")  # one column, yet the legend is not cut


def test_an_empty_timeline_is_still_a_chart():
    assert "no dated events" in timeline_svg([], "T")


def test_the_site_links_resolve_and_nothing_is_fetched():
    pages = render_site("Stories <x>", [_story()])
    assert set(pages) == {INDEX_PAGE, story_page_path("s1"), article_page_path("a1")}
    assert link_problems(pages) == []
    for page in pages.values():
        assert CSP in page and not re.search(r'(src|href)="(https?:)?//', page)
    story = pages[story_page_path("s1")]
    assert story.index("<svg") < story.index("Who said what</h2>")  # the timeline comes first
    assert "border_reopening" in story and "planned" in story  # listed apart, off the chart
    assert "Border &lt;crisis&gt;" in story and "Khawaja &lt;Asif&gt;" in story and "Asif, Khawaja Asif" in story
    assert "on &lt;Oct 19&gt;" in story and "2023-10-19" in story
    links = [v for _, a, v in parse(story).references if a == "href" and "#q-" in v]
    assert sorted(links) == ["../articles/a1.html#q-q1", "../articles/a1.html#q-q2"]

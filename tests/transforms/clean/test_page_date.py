"""Which page dates count as publication dates: declared in metadata or written in the visible text,
not guessed from file names and not a last-update stamp."""

from datetime import date

import pytest

from transforms.clean.html_clean import clean_html, parse_html
from transforms.clean.page_date import page_date, visible_dates

STORY = ("<p>The harbour authority reopened the north pier on Tuesday after storm repairs that took "
         "eleven weeks and cost more than the original construction, officials said.</p>"
         "<p>Fishing crews had moored at the southern quay since the winter storms damaged the decking.</p>")


def _page(body: str, head: str = "") -> str:
    return f"<html><head><title>North pier reopens</title>{head}</head><body><article>{body}</article></body></html>"


def test_date_declared_in_metadata_is_kept_as_page_metadata():
    tree = parse_html(_page(STORY, '<meta property="article:published_time" content="2021-03-02T08:00:00Z">'))
    judged = page_date(tree, "2021-03-02")
    assert (judged.value, judged.source, judged.issue) == (date(2021, 3, 2), "page_metadata", None)


def test_date_written_in_the_visible_text_is_kept_as_page_text():
    tree = parse_html(_page('<p class="byline">Posted on 14 June 2019 by the harbour desk</p>' + STORY))
    judged = page_date(tree, "2019-06-14")
    assert (judged.value, judged.source) == (date(2019, 6, 14), "page_text")


def test_date_only_in_an_image_file_name_is_not_a_publication_date():
    tree = parse_html(_page('<img src="/uploads/screenshot-2016-01-21-at-15.38.png">' + STORY))
    judged = page_date(tree, "2016-01-21")
    assert judged.value is None and judged.source is None
    assert "file name or link" in judged.issue and "2016-01-21" in judged.issue


def test_last_update_stamp_is_not_a_publication_date():
    tree = parse_html(_page(STORY + "<footer><p>Last updated: <span>13 July 2020</span></p></footer>"))
    assert visible_dates(tree) == [("2020-07-13", True)]
    judged = page_date(tree, "2020-07-13")
    assert judged.value is None and "last-update" in judged.issue


def test_date_both_published_and_updated_is_kept():
    tree = parse_html(_page("<p>Published 3 May 2018</p>" + STORY + "<p>Last modified on 3 May 2018</p>"))
    assert page_date(tree, "2018-05-03").value == date(2018, 5, 3)


def test_dates_inside_scripts_are_not_visible():
    tree = parse_html(_page(STORY + '<script>var built = "2020-02-02";</script>'))
    assert visible_dates(tree) == []


def test_no_date_found_is_no_date_and_no_issue():
    judged = page_date(parse_html(_page(STORY)), None)
    assert (judged.value, judged.source, judged.issue) == (None, None, None)


@pytest.mark.parametrize("stamp", ["Last updated: 13 July 2020", "This page was last modified on 13 July 2020, at 19:23."])
def test_clean_html_records_why_a_last_update_date_is_not_published_date(stamp):
    _, meta, _ = clean_html(_page(STORY + f"<p>{stamp}</p>"))
    assert meta.published_date is None
    assert meta.field_issues == ["published_date: the page gives it only as a last-update date (2020-07-13)"]


def test_text_after_a_hidden_element_is_visible_but_text_inside_it_is_not():
    tree = parse_html(_page(STORY + "<p>Published<noscript><span>1 May 2001</span> 2 May 2002</noscript> "
                                    "3 March 2019</p>"))
    assert visible_dates(tree) == [("2019-03-03", False)]


def test_with_a_year_only_runs_that_write_it_are_read():
    tree = parse_html(_page(STORY + "<p>Posted 06/07/15</p><p>Filed 1 May 2001</p><p>Last updated: 5 June 2015</p>"))
    assert visible_dates(tree, 2015) == [("2015-07-06", False), ("2015-06-05", True)]
    assert ("2001-05-01", False) in visible_dates(tree)


_SOURCES = {
    "meta": lambda d: _page(STORY, f'<meta property="article:published_time" content="{d}T08:00:00Z">'),
    "json-ld": lambda d: _page(STORY, '<script type="application/ld+json">{"@type": "NewsArticle", '
                                      f'"datePublished": "{d}T08:00:00Z"}}</script>'),
    "url": lambda d: _page(STORY, f'<link rel="canonical" href="https://harbour.example/{d.replace("-", "/")}/pier">'),
    "text": lambda d: _page(f'<p class="dateline">Published {d}</p>' + STORY),
}


@pytest.mark.parametrize("source", sorted(_SOURCES))
@pytest.mark.parametrize("written", ["2024-02-30", "2023-02-29", "2024-13-01", "2024-04-31"])
def test_a_page_date_no_calendar_has_is_refused_not_moved(source, written):
    # trafilatura (htmldate) reads 2024-02-30 as 2024-02-01 and 2024-13-01 as 2024-01-13 or 2024-01-01
    _, meta, _ = clean_html(_SOURCES[source](written))
    assert meta.published_date is None and meta.published_date_source is None
    assert meta.published_date_text.replace("/", "-") == written
    assert meta.field_issues == [f"published_date: not a calendar date ({meta.published_date_text}); "
                                 "kept as text in published_date_text"]


@pytest.mark.parametrize("source", sorted(_SOURCES))
def test_a_leap_day_is_a_calendar_date(source):
    _, meta, _ = clean_html(_SOURCES[source]("2024-02-29"))
    assert meta.published_date == date(2024, 2, 29) and not meta.field_issues


def test_a_page_date_written_with_a_month_name_no_calendar_has_is_refused():
    _, meta, _ = clean_html(_page('<p class="dateline">Posted on 31 April 2024</p>' + STORY))
    assert meta.published_date is None and meta.published_date_text == "31 April 2024"
    assert "not a calendar date (31 April 2024)" in meta.field_issues[0]

"""The publication date of a web page, kept only with evidence that it is one.

trafilatura asks htmldate for the page's date (original-date preference, extensive search). When the page
declares no date, that search falls back to guesses: a date read out of an image file name or a link path,
or a "Last updated" stamp. Neither says when the article was published. A found date is therefore kept
when the page declares it in its metadata (`<head>`, JSON-LD), or writes it in its visible text as
something other than a last-update stamp; otherwise the field is left null and the reason recorded.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import lxml.etree as etree
import lxml.html
from htmldate import find_date
from htmldate.extractors import try_date_expr

from transforms.article import impossible_date_issue, last_update_issue
from transforms.dates import ImpossibleDate, impossible_dates
from transforms.lexicon import LAST_UPDATE_LABEL

_DATE_FORMAT = "%Y-%m-%d"
# htmldate's own plausibility window for a page date.
_EARLIEST = datetime(1995, 1, 1)
_LATEST = datetime(2100, 1, 1)
_HIDDEN_TAGS = frozenset("script style noscript template head title".split())


@dataclass(frozen=True)
class PageDate:
    value: date | None
    source: str | None  # `page_metadata` or `page_text` (see contract.METADATA_SOURCES)
    issue: str | None = None  # why a date the extractor found was not kept
    written: str | None = None  # a refused date as the page writes it (for `published_date_text`)


def _iso_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def declared_date(tree: lxml.html.HtmlElement) -> str | None:
    """The date the page's metadata declares (`<head>` tags, canonical URL, JSON-LD), without text search."""
    metadata = lxml.html.fromstring("<html><head></head><body></body></html>")
    head = metadata.find("head")
    for element in tree.xpath('/html/head/*|//script[@type="application/ld+json"]'):
        head.append(copy.deepcopy(element))
    return find_date(metadata, extensive_search=False, original_date=True)


def _visible_runs(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """Every visible text run in document order: one iterative walk that skips hidden subtrees
    (scripts, styles, `<head>`), depth-safe on hostile pages."""
    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        if event == "start":
            if element.tag in _HIDDEN_TAGS:
                walker.skip_subtree()
            else:
                yield element.text or ""
        else:
            yield element.tail or ""


def visible_dates(tree: lxml.html.HtmlElement, year: int | None = None) -> list[tuple[str, bool]]:
    """(ISO date, labelled as a last update) for every visible text run that reads as a date; the label
    may sit in the run itself or in the run just before it ("Last updated:" <time>13 July 2020</time>).

    With `year`, only runs that write that year (as 4 or 2 digits) are read: a run without it cannot
    state a date of that year, and reading every run costs seconds on some pages (htmldate's fallback
    parser tries every language it knows on text it cannot read)."""
    marks = (str(year), f"{year % 100:02d}") if year is not None else None
    found: list[tuple[str, bool]] = []
    previous = ""
    for run in map(str.strip, _visible_runs(tree)):
        if not run:
            continue
        if (any(c.isdigit() for c in run) and (marks is None or any(m in run for m in marks))
                and (value := try_date_expr(run, _DATE_FORMAT, True, _EARLIEST, _LATEST))):
            found.append((value, bool(LAST_UPDATE_LABEL.search(f"{previous} {run}"))))
        previous = run
    return found


def _stated_strings(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """Where a page states its date: `<meta>` values, `<time datetime>`, the canonical link, JSON-LD, and the
    visible text."""
    yield from tree.xpath("//meta/@content|//time/@datetime|//link[@rel='canonical']/@href")
    yield from (script.text or "" for script in tree.xpath('//script[@type="application/ld+json"]'))
    yield from _visible_runs(tree)


def impossible_source(tree: lxml.html.HtmlElement, value: date) -> ImpossibleDate | None:
    """The date no calendar has (2024-02-30) that the page states and that `value` is a lenient parser's
    reading of (htmldate turns 2024-02-30 into 2024-02-01 and 2024-13-01 into 2024-01-13), if any."""
    for text in _stated_strings(tree):
        if any(c.isdigit() for c in text):
            for written in impossible_dates(text):
                if written.could_become(value):
                    return written
    return None


def page_date(tree: lxml.html.HtmlElement, found: str | None) -> PageDate:
    """Judge the date trafilatura found for the page (`found`, ISO) by where the page states it. A date the
    page writes as a day no calendar has is refused, not replaced by the day the extractor made of it."""
    value = _iso_day(found)
    if value is None:
        return PageDate(None, None)
    if (written := impossible_source(tree, value)) is not None:
        return PageDate(None, None, impossible_date_issue(written.text), written.text)
    if _iso_day(declared_date(tree)) == value:
        return PageDate(value, "page_metadata")
    labels = [updated for text, updated in visible_dates(tree, value.year) if _iso_day(text) == value]
    if not labels:
        return PageDate(None, None, "published_date: found only outside the page's metadata and visible text, "
                                    f"e.g. in a file name or link ({value})")
    if all(labels):
        return PageDate(None, None, last_update_issue(value))
    return PageDate(value, "page_text")

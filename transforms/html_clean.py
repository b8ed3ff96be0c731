"""HTML articles: trafilatura for the main text and metadata, plus an audit of every page block left out.

The page is parsed once by lxml with `huge_tree=True` (trafilatura's own parser silently drops text
below ~256 levels of nesting) and with entity resolution and network access off.
"""

from __future__ import annotations

import copy
import re
from datetime import date

import lxml.etree as etree
import lxml.html
import trafilatura

from transforms.article import Metadata, Paragraph, Removed
from transforms.paragraphs import domain_of, finish_body, normalize_line, proper_case_name, split_head, split_tail

_BLOCK_TAGS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 td th tr table section article header footer nav aside blockquote "
    "figcaption figure dd dt dl pre address form br hr main".split()
)
_INVISIBLE_TAGS = frozenset("script style noscript template svg iframe object embed head title meta link".split())
# Where a removed block sat tells why it was clutter (checked on tag names, ids and classes of ancestors).
_CONTAINER_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason)
    for pattern, reason in (
        (r"^nav$|\bnav|menu|breadcrumb", "navigation"),
        (r"comment", "comments"),
        (r"cookie|consent|gdpr", "cookie"),
        (r"share|social", "social"),
        (r"related|recommend|more-?stories|read-?more|trending|popular", "related_links"),
        (r"\bad[s_-]|advert|sponsor|promo|dfp|outbrain|taboola", "sponsored"),
        (r"newsletter|subscribe|signup", "newsletter"),
        (r"^footer$|footer", "footer"),
        (r"^header$|masthead|topbar", "header"),
        (r"^aside$|sidebar|widget", "sidebar"),
    )
)
MAX_AUDIT_BLOCKS = 400
_PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True, no_network=True,
                               recover=True, default_doctype=False)


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse untrusted HTML: no network, no external entities, deep trees allowed."""
    cleaned = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        return lxml.html.document_fromstring(cleaned, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _reason_for(stack: list[etree._Element]) -> str:
    for element in reversed(stack):
        tag = element.tag if isinstance(element.tag, str) else ""
        labels = " ".join(filter(None, (tag, element.get("id"), element.get("class"), element.get("role"))))
        for pattern, reason in _CONTAINER_REASONS:
            if pattern.search(labels):
                return reason
    return "html_boilerplate"


def visible_blocks(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(text, reason-if-clutter) of every visible text block, in document order; iterative, so depth-safe."""
    blocks: list[tuple[str, str]] = []
    stack: list[etree._Element] = []
    buffer: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            blocks.append((text, _reason_for(stack)))

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _INVISIBLE_TAGS or not tag:
                walker.skip_subtree()
                if element.tail:
                    buffer.append(element.tail)
                continue
            if tag in _BLOCK_TAGS:
                flush()
            stack.append(element)
            if element.text:
                buffer.append(element.text)
        else:
            if stack and stack[-1] is element:
                if tag in _BLOCK_TAGS:
                    flush()
                stack.pop()
            if element.tail:
                buffer.append(element.tail)
    flush()
    return blocks


def audit_removed_blocks(tree: lxml.html.HtmlElement, body: str) -> list[Removed]:
    """Every visible page block whose text did not make it into the body, with the reason its container gives."""
    body_key = normalize_line(body)
    removed: list[Removed] = []
    for number, (text, reason) in enumerate(visible_blocks(tree), start=1):
        key = normalize_line(text)
        if key and key not in body_key:
            removed.append(Removed(number, text, reason))
    if len(removed) > MAX_AUDIT_BLOCKS:
        kept = removed[:MAX_AUDIT_BLOCKS]
        rest = removed[MAX_AUDIT_BLOCKS:]
        summary = f"{len(rest)} more removed blocks ({sum(len(r.text) for r in rest)} characters) not itemised"
        return kept + [Removed(rest[0].line_no, summary, "html_boilerplate_truncated")]
    return removed


def _authors(value: str | None) -> list[str]:
    if not value:
        return []
    parts = re.split(r"\s*(?:;|,|\band\b|&)\s*", value)
    return [proper_case_name(p) for p in parts if p and len(p.split()) <= 5]


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def clean_html(text: str) -> tuple[str, Metadata, list[Removed]]:
    """Raw HTML -> (body, metadata, removed blocks)."""
    tree = parse_html(text)
    meta = Metadata()
    if tree is None:
        return "", meta, [Removed(0, text[:2000], "unparseable_html")]
    extracted = trafilatura.bare_extraction(
        copy.deepcopy(tree), with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, deduplicate=False,
    )
    raw_body = (extracted.text if extracted is not None else None) or ""
    if extracted is not None:
        meta.title = extracted.title or None
        meta.authors = _authors(extracted.author)
        meta.published_date = _date(extracted.date)
        meta.published_date_text = extracted.date
        meta.source_url = extracted.url or None
        meta.source_domain = domain_of(extracted.url) if extracted.url else (
            extracted.hostname.removeprefix("www.") if extracted.hostname else None)
        meta.sitename = extracted.sitename or None
    lines = [Paragraph(i, line.strip()) for i, line in enumerate(raw_body.split("\n"), start=1) if line.strip()]
    head_removed, start = split_head(lines, meta, raw_body, find_title=False)
    tail_removed, end = split_tail(lines[start:], meta, raw_body)
    body, body_removed = finish_body(lines[start:start + end], meta)
    removed = head_removed + tail_removed + body_removed + audit_removed_blocks(tree, body)
    return body, meta, removed

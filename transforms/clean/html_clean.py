"""HTML articles: trafilatura for the main text and metadata, plus an audit of every page block left out.

The page is parsed once by lxml with `huge_tree=True` (trafilatura's own parser silently drops text
below ~256 levels of nesting) and with entity resolution and network access off; a page nested deeper
than MAX_HTML_DEPTH is flattened from its source and parsed again (`transforms.clean.html_flatten`).
"""

from __future__ import annotations

import copy
import difflib
import re

import lxml.etree as etree
import lxml.html
import trafilatura

from transforms import lexicon
from transforms.article import Metadata, Paragraph, Removed, note_field_issue
from transforms.clean.decode import NotArticleText
from transforms.clean.html_flatten import flatten_html
from transforms.text import blank_unassigned, line_key
from transforms.clean.page_date import page_date
from transforms.clean.paragraphs import (
    classify_lines, parse_byline, domain_of, is_paragraph, normalize_line, proper_case_name, words,
)

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
# A page nested deeper than this (real pages stay under ~60 levels; libxml2 stops parsing at 2,048 and the
# extractor loses text somewhere past 2,000) is rewritten from its source with every element deeper than
# FLAT_DEPTH re-parented to its ancestor at that depth (`transforms.clean.html_flatten`), then parsed again.
MAX_HTML_DEPTH = 1000
FLAT_DEPTH = 500
_PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True, no_network=True,
                               recover=True, default_doctype=False)


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse untrusted HTML: no network, no external entities, deep trees allowed."""
    cleaned = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        return lxml.html.document_fromstring(cleaned, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def tree_depth(tree: lxml.html.HtmlElement) -> int:
    """Deepest element nesting, computed iteratively (a recursive walk would overflow on hostile pages)."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _own_reason(element: etree._Element) -> str | None:
    """The clutter kind an element's tag, id, class or role names, if any."""
    tag = element.tag if isinstance(element.tag, str) else ""
    labels = " ".join(filter(None, (tag, element.get("id"), element.get("class"), element.get("role"))))
    return next((reason for pattern, reason in _CONTAINER_REASONS if pattern.search(labels)), None)


def visible_blocks(tree: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(text, reason-if-clutter) of every visible text block, in document order; iterative, so depth-safe.
    A block's reason is that of its innermost labelled container, kept on a stack beside the elements (each
    element's labels are read once, not once per block below it)."""
    blocks: list[tuple[str, str]] = []
    stack: list[etree._Element] = []
    reasons: list[str] = ["html_boilerplate"]
    buffer: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            blocks.append((text, reasons[-1]))

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
            reasons.append(_own_reason(element) or reasons[-1])
            if element.text:
                buffer.append(element.text)
        else:
            if stack and stack[-1] is element:
                if tag in _BLOCK_TAGS:
                    flush()
                stack.pop()
                reasons.pop()
            if element.tail:
                buffer.append(element.tail)
    flush()
    return blocks


def place_in_blocks(removed: list[Removed], blocks: list[tuple[str, str]]) -> list[Removed]:
    """Renumber removals made on trafilatura's lines to the page block they came from (the block whose
    text equals, else starts with, else contains theirs), so `article_clutter.line_no` counts page blocks
    throughout."""
    keys = [normalize_line(text) for text, _ in blocks]
    used: set[int] = set()
    placed: list[Removed] = []
    for item in removed:
        key = normalize_line(item.text)
        number = next((i for i, k in enumerate(keys, start=1) if k == key and i not in used), None) or \
            next((i for i, k in enumerate(keys, start=1) if key and k.startswith(key + " ")), None) or \
            next((i for i, k in enumerate(keys, start=1) if key and key in k), 0)
        used.add(number)
        placed.append(Removed(number, item.text, item.reason, item.kind))
    return placed


def audit_removed_blocks(blocks: list[tuple[str, str]], body: str, accounted: set[int],
                         moved: tuple[str, ...] = ()) -> list[Removed]:
    """Every visible page block whose text did not make it into the body, with the reason its container
    gives; blocks in `accounted` already have a more specific removal row. A block that is a `moved`
    metadata text (a dateline) followed by body text is in the body."""
    body_key = normalize_line(body)
    prefixes = [p for p in map(normalize_line, moved) if p]
    removed: list[Removed] = []
    for number, (text, reason) in enumerate(blocks, start=1):
        key = normalize_line(text)
        if not key or key in body_key or number in accounted or any(
                key.startswith(p + " ") and key[len(p) + 1:] in body_key for p in prefixes):
            continue
        removed.append(Removed(number, text, reason))
    if len(removed) > MAX_AUDIT_BLOCKS:
        kept = removed[:MAX_AUDIT_BLOCKS]
        rest = removed[MAX_AUDIT_BLOCKS:]
        summary = f"{len(rest)} more removed blocks ({sum(len(r.text) for r in rest)} characters) not itemised"
        return kept + [Removed(rest[0].line_no, summary, "html_boilerplate_truncated")]
    return removed


def _element_text(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _body_container(tree: lxml.html.HtmlElement, body_key: str) -> etree._Element | None:
    """The element holding most of the extracted body's paragraphs (their common parent)."""
    votes: dict[etree._Element, int] = {}
    for paragraph in tree.iter("p"):
        key = normalize_line(_element_text(paragraph))
        parent = paragraph.getparent()
        if len(key) >= 40 and key in body_key and parent is not None:
            votes[parent] = votes.get(parent, 0) + 1
    return max(votes, key=votes.__getitem__) if votes else None


def split_body_chunks(tree: lxml.html.HtmlElement, body: str) -> list[etree._Element]:
    """Sibling chunks of a body split across several same-class containers (ad rails between them):
    trafilatura keeps only the first. Returns every chunk in document order, or [] if not split."""
    body_key = normalize_line(body)
    container = _body_container(tree, body_key) if body_key else None
    if container is None or not container.get("class"):
        return []
    same = [el for el in tree.iter(container.tag) if el.get("class") == container.get("class")]
    if len(same) < 2:
        return []

    def new_prose(element: etree._Element) -> bool:
        return any(is_paragraph(text := _element_text(p)) and len(words(text)) >= 12
                   and normalize_line(text) not in body_key for p in element.iter("p"))

    chunks = [el for el in same if _parallel(el, container)]
    return chunks if any(new_prose(el) for el in chunks if el is not container) else []


def _parallel(element: etree._Element, container: etree._Element) -> bool:
    """Same place in repeated page structure: up to their common ancestor, both paths pass through
    elements with the same tag and class (chunk <- grid row <- chunk list), and neither holds the other."""
    if element is container:
        return True
    own = [element, *element.iterancestors()]
    theirs = [container, *container.iterancestors()]
    common = next((a for a in own if a in theirs), None)
    if common is None or common in (element, container):
        return False

    def signature(path: list[etree._Element]) -> list[tuple[str, str]]:
        return [(el.tag, el.get("class") or "") for el in path[: path.index(common)]]

    return signature(own) == signature(theirs)


def union_lines(first: str, rejoined: str) -> str:
    """The rejoined extraction with every line of the first one it lost put back in place: rejoining a
    split body adds the chunks trafilatura dropped, it must not trade the intro for them."""
    a, b = first.split("\n"), rejoined.split("\n")
    matcher = difflib.SequenceMatcher(None, [normalize_line(x) for x in a], [normalize_line(x) for x in b],
                                      autojunk=False)
    merged: list[str] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        merged += (a[a0:a1] if op in ("delete", "replace") else []) + (b[b0:b1] if op != "delete" else [])
    return "\n".join(merged)


def merge_chunks(tree: lxml.html.HtmlElement, chunks: list[etree._Element]) -> lxml.html.HtmlElement:
    """A copy of the page with all body chunks' children moved into the first chunk."""
    merged = copy.deepcopy(tree)
    targets = [merged.getroottree().xpath(tree.getroottree().getpath(chunk))[0] for chunk in chunks]
    first = targets[0]
    for other in targets[1:]:
        for child in list(other):
            first.append(child)
        other.getparent().remove(other)
    return merged


def _extract(tree: lxml.html.HtmlElement):  # trafilatura.Document | None
    return trafilatura.bare_extraction(
        copy.deepcopy(tree), with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, deduplicate=False,
    )


# Containers whose label alone says their text is not the article's (navigation and footers are left to
# trafilatura: some sites wrap the whole page in them).
WIDGET_REASONS = frozenset({"newsletter", "cookie", "social", "related_links", "sponsored", "comments"})


def drop_widget_lines(lines: list[Paragraph], blocks: list[tuple[str, str]]) -> tuple[list[Paragraph], list[Removed]]:
    """Extracted lines that are exactly the text of a block inside a labelled widget (newsletter box,
    share bar, related links), unless the same text also appears outside such widgets."""
    reasons: dict[str, set[str]] = {}
    for text, reason in blocks:
        reasons.setdefault(normalize_line(text), set()).add(reason)
    kept: list[Paragraph] = []
    removed: list[Removed] = []
    for line in lines:
        found = reasons.get(normalize_line(line.text), set())
        if found and found <= WIDGET_REASONS:
            removed.append(Removed(line.line_no, line.text, sorted(found)[0]))
        else:
            kept.append(line)
    if len(kept) < len(lines) / 2:
        return lines, []  # the article itself sits in a container with a misleading label
    return kept, removed


# Author fields that name no one: placeholders, buttons, and degrees split off a name ("Jo Ray; PhD").
_NOT_AUTHORS = re.compile(r"^(?:no author|unknown|anonymous|admin(?:istrator)?|staff|editor(?:s|ial)?|guest|"
                          r"follow|subscribe|share|ph\.?d\.?|m\.?d\.?|r\.?d\.?|r\.?n\.?|m\.?s\.?|m\.?a\.?|mba|mph|"
                          r"esq\.?|d\.?o\.?|cpt|msc|bsc)$", re.IGNORECASE)


def _authors(value: str | None, sitename: str | None = None) -> list[str]:
    """Trafilatura's author string as names: placeholders, degrees and the site's own name left out,
    "Jr"/"Sr" written with their point."""
    if not value:
        return []
    parts = [p for p in re.split(r"\s*(?:;|,|\band\b|&)\s*", value) if p and len(p.split()) <= 5]
    site_words = {w.casefold() for w in re.findall(r"\w+", sitename or "")}
    names = []
    for part in parts:
        words = re.findall(r"\w+", part)
        if _NOT_AUTHORS.match(part.strip()) or (site_words and words and words[0].casefold() in site_words
                                                 and len(parts) > 1):
            continue  # "Fisch; Fang Seminare" on the site "FISCH & FANG" is the site, not two people
        names.append(re.sub(r"\b(Jr|Sr)$", r"\1.", proper_case_name(part)))
    return names


# A byline in a page block above the article: "By Jo Ray", "ByJo Ray" (name in its own element), "Posted on
# 21 May 2020 by Jo Ray", one of several "|"-separated parts of a meta line.
_VISIBLE_BYLINE = re.compile(r"^(?:(?i:posted|published|written)(?:\s+on\s+.{4,40}?)?\s+)?[Bb]y\s*(?=[A-Z])(?P<names>.{3,80})$")
_PERSON_NAME = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}$")
# Containers where a byline belongs to another story or to a reader.
_OTHER_STORIES = frozenset({"related_links", "comments", "navigation", "footer"})


def visible_byline(blocks: list[tuple[str, str]], body: str, sitename: str | None) -> list[str]:
    """Authors named by a visible byline above the body's first paragraph when the page metadata names
    none: every name a person's name (2-4 capitalised words), none the site's."""
    first = next((normalize_line(line) for line in body.split("\n") if is_paragraph(line)), "")
    site = _squash(sitename)
    for text, reason in blocks:
        if first and first in normalize_line(text):
            return []  # reached the body
        if reason in _OTHER_STORIES:
            continue
        for part in re.split(r"\s*\|\s*", text):
            if not (match := _VISIBLE_BYLINE.match(part.strip())) or not (parsed := parse_byline("By " + match["names"])):
                continue
            names = parsed[0]
            if all(_PERSON_NAME.match(n) and not any(c.isdigit() for c in n) and _squash(n) != site for n in names):
                return names
    return []


_TITLE_SEPARATOR = re.compile(r"\s+[-|–—·:»]{1,2}\s+")
_DANGLING_SEPARATOR = re.compile(r"^[-|–—·:»]{1,2}\s+|\s+[-|–—·:»]{1,2}$")


def _squash(text: str | None) -> str:
    return line_key(text or "").replace(" ", "")


def strip_site_name(title: str | None, sitename: str | None, hostname: str | None) -> str | None:
    """A page `<title>` is often "Headline - Site Name": the part that names the site (its sitename, or its
    host name without www. and the domain ending) is not the article's title; nor is a dangling separator."""
    if not title:
        return title
    title = _DANGLING_SEPARATOR.sub("", title.strip())
    parts = _TITLE_SEPARATOR.split(title.strip())
    if len(parts) < 2:
        return title
    host = (hostname or "").removeprefix("www.").rsplit(".", 1)[0]
    site, host = _squash(sitename), _squash(host)

    def names_site(part: str) -> bool:
        key = _squash(part)
        return bool(key) and len(key) >= 3 and (key == site or key == host or (len(key) >= 6 and (
            key in host or (site and (key in site or site in key)))))

    for keep, cut in ((parts[:-1], parts[-1]), (parts[1:], parts[0])):
        exact = _squash(cut) in {site, host}
        if names_site(cut) and len(" ".join(keep).split()) >= (1 if exact else 2):
            separators = _TITLE_SEPARATOR.findall(title.strip())
            joined = keep[0]
            for sep, part in zip(separators[1:] if cut is parts[0] else separators, keep[1:]):
                joined += sep + part
            return joined.strip()
    return title


# Parts of an <h1> that are not the headline: a subtitle or kicker set in smaller type inside it.
_HEADLINE_EXTRAS = re.compile(r"subtitle|sub-title|kicker|eyebrow|standfirst|\bdek\b", re.IGNORECASE)
# Share of the metadata title's content words a visible <h1> must share to be the same headline reworded.
HEADLINE_AGREEMENT = 0.5


def _headline_text(h1: etree._Element) -> str:
    h1 = copy.deepcopy(h1)
    for extra in [e for e in h1.iterdescendants() if isinstance(e.tag, str)
                  and (e.tag == "small" or _HEADLINE_EXTRAS.search(e.get("class") or ""))]:
        extra.drop_tree()
    return re.sub(r"\s+", " ", h1.text_content()).strip()


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if w not in lexicon.STOPWORDS}


def visible_headline(tree: lxml.html.HtmlElement, title: str | None) -> str | None:
    """The page's visible <h1> headline when it is the metadata title reworded (og:title and <title> are
    often an SEO or social variant of the headline readers see): the <h1> sharing the most content words
    with `title`, if it shares at least HEADLINE_AGREEMENT of them and is not the same text."""
    wanted = _content_words(title or "")
    if not wanted:
        return None
    best, best_share = None, 0.0
    for h1 in tree.iter("h1"):
        text = _headline_text(h1)
        if not text or len(text.split()) > 40:
            continue
        share = len(wanted & _content_words(text)) / len(wanted)
        if share > best_share:
            best, best_share = text, share
    if best is None or best_share < HEADLINE_AGREEMENT or normalize_line(best) == normalize_line(title or ""):
        return None
    return best


def clean_html(text: str) -> tuple[str, Metadata, list[Removed]]:
    """Raw HTML -> (body, metadata, removed blocks)."""
    text = blank_unassigned(text)
    tree = parse_html(text)
    meta = Metadata()
    if tree is None:
        return "", meta, [Removed(0, text[:2000], "unparseable_html")]
    if tree_depth(tree) > MAX_HTML_DEPTH:
        tree = parse_html(flatten_html(text, FLAT_DEPTH))
        if tree is None:
            return "", meta, [Removed(0, text[:2000], "unparseable_html")]
        if (depth := tree_depth(tree)) > MAX_HTML_DEPTH:  # the rewrite misjudged how libxml2 nests the page
            raise NotArticleText("html_too_deep", f"HTML elements still nested {depth} levels deep after "
                                 f"flattening (limit {MAX_HTML_DEPTH})")
    extracted = _extract(tree)
    raw_body = (extracted.text if extracted is not None else None) or ""
    if chunks := split_body_chunks(tree, raw_body):
        rejoined = _extract(merge_chunks(tree, chunks))
        if rejoined is not None and len(rejoined.text or "") > len(raw_body):
            extracted, raw_body = rejoined, union_lines(raw_body, rejoined.text)
    if extracted is not None:
        meta.title = strip_site_name(extracted.title, extracted.sitename, extracted.hostname) or None
        meta.title_source = None if meta.title is None else (
            "page_metadata" if meta.title == extracted.title else "page_title_minus_site")
        if headline := visible_headline(tree, meta.title):
            meta.title, meta.title_source = headline, "page_h1"
        meta.authors = _authors(extracted.author, extracted.sitename)
        meta.authors_source = "page_metadata" if meta.authors else None
        judged = page_date(tree, extracted.date)
        meta.published_date, meta.published_date_source = judged.value, judged.source
        meta.published_date_text = extracted.date if judged.value else judged.written
        if judged.issue:
            note_field_issue(meta, judged.issue)
        meta.source_url = extracted.url or None
        meta.source_domain = domain_of(extracted.url) if extracted.url else (
            extracted.hostname.removeprefix("www.") if extracted.hostname else None)
        meta.sitename = extracted.sitename or None
    lines = [Paragraph(i, line.strip()) for i, line in enumerate(raw_body.split("\n"), start=1) if line.strip()]
    blocks = visible_blocks(tree)
    if extracted is not None and not meta.authors and (names := visible_byline(blocks, raw_body, extracted.sitename)):
        meta.authors, meta.authors_source = names, "byline"
    lines, widget_removed = drop_widget_lines(lines, blocks)
    body, line_removed = classify_lines(lines, meta, raw_body, from_html=True)
    specific = place_in_blocks(widget_removed + line_removed, blocks)
    moved = tuple(item.text for item in line_removed if item.kind == "metadata")
    audited = audit_removed_blocks(blocks, body, {item.line_no for item in specific}, moved)
    removed = sorted(specific + audited, key=lambda item: item.line_no)
    return body, meta, removed

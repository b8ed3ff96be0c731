"""Paragraph-level cleaning shared by plain text and HTML: line signals, head and tail zones (title,
date line, byline, credits), dateline prefixes, near-duplicate paragraphs and sign-offs.

Signals are general (length, sentence punctuation, stop-word density, position, repetition, known
boilerplate patterns), never lists of particular articles' lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from transforms import lexicon
from transforms.article import (Metadata, Paragraph, Removed, ambiguous_order_issue, impossible_date_issue,
                                last_update_issue, note_field_issue)
from transforms.dates import ambiguous_order, choose_date, find_dates, impossible_dates, parse_date_line
from transforms.text import line_key, unspaced_chars

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…。！？](?:\s?['\"”’)\]」』）]+)*$")
# A sentence-final line of this many characters in a script written without spaces (Japanese, Chinese, Thai)
# is prose: word counts and English function words cannot tell there.
UNSPACED_PARAGRAPH_CHARS = 20
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])['\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")

DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\-]{2,}(?:\s[A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*){0,3}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&\-]{0,30})\))?"
    r"\s*(?:[—–]|--?|:)\s*",
)
DATED_DATELINE = re.compile(
    r"^[A-Z][A-Za-z.'’\-]+(?:\s[A-Z][A-Za-z.'’\-]+){0,3},\s*(?:[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*){0,3},\s*)?"
    r"(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)\s*(?:\([A-Za-z][\w .&\-]{0,30}\))?\s*(?:[—–]|--?)?$",
)
DATELINE_MIXED_CASE = re.compile(
    r"^(?P<place>[A-Z][\w.'’\-]+(?:\s[A-Z][\w.'’\-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*){0,3}))?"
    r"\s*\((?P<agency>[A-Za-z][\w .&\-]{0,30})\)\s*(?:[—–]|--?|:)\s*",
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def normalize_line(text: str) -> str:
    return line_key(text)


def stopword_density(text: str) -> float:
    tokens = [w.lower().replace("’", "'") for w in words(text)]
    return sum(t in lexicon.STOPWORDS for t in tokens) / len(tokens) if tokens else 0.0


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def pattern_reason(line: str) -> str | None:
    """Reason a whole line is page clutter by a known boilerplate pattern, else None."""
    text = line.strip()
    for reason, pattern in lexicon.LINE_PATTERNS:
        if pattern.match(text):
            return reason
    n_words = len(words(text))
    if n_words <= 8 and not ends_sentence(text) and not lexicon.BYLINE.match(text) and (
            "|" in text or len(re.split(r"\s{2,}|\t|\s[·•»›]\s", text)) >= 3) and parse_date_line(text) is None:
        return "navigation"  # menu items separated by bars, wide gaps or bullets; "May 2, 2013 | 5:03pm" is a date
    return None


def is_greeting(text: str) -> bool:
    """A salutation or sign-off addressed to the readers, not news."""
    text = text.strip().strip("\"“”'‘’")
    n_words = len(words(text))
    if lexicon.GREETING_START.match(text):
        return n_words <= 12 or bool(lexicon.READER_ADDRESS.search(text))
    return bool(lexicon.SIGN_OFF.match(text)) and n_words <= 40


def is_paragraph(text: str) -> bool:
    """Prose: enough words, and either sentence punctuation or the function words of running text."""
    n_words = len(words(text))
    if unspaced_chars(text) >= UNSPACED_PARAGRAPH_CHARS and ends_sentence(text):
        return True
    if n_words >= 8 and (ends_sentence(text) or stopword_density(text) >= 0.2):
        return True
    return n_words >= 5 and ends_sentence(text) and stopword_density(text) >= 0.15


def is_short_prose(text: str) -> bool:
    """A short sentence ("Can you believe it?"): sentence punctuation and function words."""
    return ends_sentence(text) and len(words(text)) >= 2 and stopword_density(text) > 0 and text[:1].isalnum()


def is_headline(text: str) -> bool:
    """Headline-like: a short line of words that is not a sentence ending in a period."""
    stripped = text.strip().strip("\"“”'‘’")
    n_words = len(words(stripped))
    if not 3 <= n_words <= 24 or len(stripped) > 200:
        return False
    if stripped.endswith(".") and not stripped.endswith("..."):
        return False
    letters = sum(ch.isalpha() for ch in stripped)
    return letters / max(1, len(stripped)) > 0.6 and split_dateline(stripped)[0] is None


def agency_of(name: str | None) -> str | None:
    if not name:
        return None
    return lexicon.AGENCIES.get(re.sub(r"\s+", " ", name.strip().strip(".")).lower())


def domain_of(url: str) -> str | None:
    candidate = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


# --- names --------------------------------------------------------------------------------------------

_NAME_PARTICLES = {"al", "el", "bin", "ibn", "van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "ul"}


def proper_case_name(name: str) -> str:
    """`SUZAN FRASER` -> `Suzan Fraser`; mixed-case names are kept as written."""
    name = re.sub(r"\s+", " ", name).strip(" ,.;")
    if not name.isupper():
        return name

    def fix(token: str) -> str:
        low = token.lower()
        if low in _NAME_PARTICLES:
            return low
        cased = "-".join(part[:1].upper() + part[1:] for part in low.split("-"))
        cased = re.sub(r"^(Mc|O['’])([a-z])", lambda m: m.group(1) + m.group(2).upper(), cased)
        return cased

    return " ".join(fix(t) for t in name.split(" "))


def is_byline_role(part: str) -> bool:
    """`Staff Reporter`, `Senior Political Correspondent`: a job title after the names, not an author."""
    tokens = [t.lower() for t in words(part)]
    if not tokens:
        return False
    if tokens[-1] in lexicon.BYLINE_ROLE_HEADS:
        return True
    return all(t in lexicon.BYLINE_ROLE_WORDS for t in tokens) and bool(set(tokens) - {"the", "of", "and", "for",
                                                                                       "at", "our"})


def parse_byline(line: str) -> tuple[list[str], str | None] | None:
    """`By SUZAN FRASER and MUNIR AHMED` -> (['Suzan Fraser', 'Munir Ahmed'], None)."""
    match = lexicon.BYLINE.match(line.strip())
    if not match:
        return None
    names = match["names"].strip().rstrip(".")
    agency = None
    head, _, last = names.rpartition(",")
    if head and (found := agency_of(last)):
        names, agency = head, found
    parts = [p for p in re.split(r"\s*(?:,|&|\||/|\band\b|\bAND\b)\s*", names) if p]
    parts = [p for p in parts if not is_byline_role(p)]
    authors = [proper_case_name(p) for p in parts]
    if not authors or any(len(words(a)) > 5 or len(words(a)) == 0 for a in authors):
        return None
    if any(not a[:1].isupper() for a in authors):
        return None
    return authors, agency


def is_credit(text: str) -> bool:
    """Credit lines (`X contributed to this report`, `Reporting by ...`): every sentence a credit."""
    parts = sentences(text.strip().strip("()"))
    return bool(parts) and all(lexicon.CREDIT_SENTENCE.search(p.strip().strip("()")) for p in parts)


# --- datelines --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dateline:
    text: str  # the removed prefix, e.g. "ANKARA, Turkey (AP) —"
    place: str
    agency: str | None


def is_dated_dateline(line: str) -> bool:
    """A wire dateline on a line of its own that writes the day the story was filed ("BRUSSELS, December 2
    (Xinhua) --", "GENEVA, Switzerland, May 4 (Reuters) —"): the story's place and date, never clutter."""
    match = DATED_DATELINE.match(line.strip())
    return match is not None and any(m.spec.kind == "absolute" and m.spec.day for m in find_dates(match["date"]))


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """`ANKARA, Turkey (AP) — Pakistan and…` -> (Dateline(…), `Pakistan and…`)."""
    for pattern in (DATELINE, DATELINE_MIXED_CASE):
        match = pattern.match(paragraph)
        if not match:
            continue
        if all(w.lower() in lexicon.HEADLINE_LABELS for w in words(match["place"])):
            continue
        agency_text = match["agency"]
        agency = agency_of(agency_text)
        if agency_text and agency is None:
            continue
        rest = paragraph[match.end():]
        if not rest[:1].isalpha() and not rest[:1] in "\"“‘'":
            continue
        if pattern is DATELINE and agency is None and not match.group(0).rstrip().endswith(("—", "–", "-")):
            continue  # an all-caps word followed by ":" is a label, not a dateline
        return Dateline(match.group(0).strip(), match["place"], agency), rest
    return None, paragraph


# --- near duplicates --------------------------------------------------------------------------------------

_SUFFIXES = ("ing", "ed", "es", "s")


def _stem(token: str) -> str:
    for suffix in _SUFFIXES:
        if len(token) > len(suffix) + 3 and token.endswith(suffix):
            return token[: -len(suffix)]
    return token


def content_terms(text: str) -> set[str]:
    _, text = split_dateline(text)
    tokens = (w.lower().replace("’", "'").removesuffix("'s") for w in words(text))
    return {_stem(t) for t in tokens if t not in lexicon.STOPWORDS and len(t) > 2}


def near_duplicate_pairs(paragraphs: list[str]) -> dict[int, int]:
    """Later paragraph index -> earlier paragraph it restates (rewritten ledes, repeated paragraphs).

    Containment of the smaller paragraph's content terms in the other: high anywhere, lower between
    close neighbours, lower still when both open with a dateline (a story has one dateline).
    """
    terms = [content_terms(p) for p in paragraphs]
    datelined = [split_dateline(p)[0] is not None for p in paragraphs]
    found: dict[int, int] = {}
    for j in range(len(paragraphs)):
        for i in range(j):
            if i in found:
                continue
            small, large = sorted((len(terms[i]), len(terms[j])))
            if small < 8:
                continue
            overlap = len(terms[i] & terms[j]) / small
            if datelined[i] and datelined[j]:
                threshold = 0.45  # one story has one dateline: a second datelined lede restates the first
            elif small / large < 0.6:
                continue  # a heading or summary line is not a duplicate of the paragraph it sums up
            else:
                threshold = 0.65 if j - i <= 2 else 0.8
            if overlap >= threshold:
                found[j] = i
                break
    return found


# --- sign-offs inside edge paragraphs -------------------------------------------------------------


def strip_edge_greetings(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Removed]]:
    """Drop greeting sentences that open the first paragraph and sign-offs that close the last one."""
    removed: list[Removed] = []
    out = list(paragraphs)
    if out:
        first = out[0]
        parts = sentences(first.text)
        while len(parts) > 1 and is_greeting(parts[0]):
            removed.append(Removed(first.line_no, parts[0].strip(), "greeting"))
            parts = parts[1:]
        out[0] = Paragraph(first.line_no, first.text[first.text.index(parts[0]):] if parts else "")
    if out:
        last = out[-1]
        parts = sentences(last.text)
        while len(parts) > 1 and is_greeting(parts[-1]):
            removed.append(Removed(last.line_no, parts[-1].strip(), "sign_off"))
            parts = parts[:-1]
        end = last.text.rindex(parts[-1]) + len(parts[-1]) if parts else 0
        out[-1] = Paragraph(last.line_no, last.text[:end].rstrip())
    return [p for p in out if p.text.strip()], removed


# --- head and tail zones ----------------------------------------------------------------------------------


def strip_title_decoration(title: str, line_no: int) -> tuple[str, list[Removed]]:
    """Remove quotes around a headline and a greeting prefix (`Assalamu Alaikum - Headline`)."""
    removed: list[Removed] = []
    title = title.strip()
    pairs = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}
    if len(title) > 2 and title[0] in pairs and title.endswith(pairs[title[0]]) and title.count(title[0]) <= 2:
        title = title[1:-1].strip()
    greeting = lexicon.GREETING_START.match(title)
    if greeting:
        rest = re.match(r"^[^-–—:|]{0,40}?\s*[-–—:|]\s+", title[greeting.end():])
        if rest:
            cut = greeting.end() + rest.end()
            removed.append(Removed(line_no, title[:cut].strip(" -–—:|"), "greeting"))
            title = title[cut:].strip()
    return title, removed


def _short_line(text: str) -> bool:
    return len(words(text)) <= 8 and not ends_sentence(text)


def off_topic_chrome(lines: list[Paragraph]) -> set[int]:
    """Indexes of lone short non-sentence lines that share no content word with the rest of the text:
    page furniture ("Promoted stories") rather than a subheading, which is about the story. Runs of
    short lines (tables, lists), list items and name lines are structure, not furniture."""
    terms = [content_terms(line.text) for line in lines]
    counts: dict[str, int] = {}
    distinct = {normalize_line(line.text): own for line, own in zip(lines, terms, strict=True)}
    for own in distinct.values():  # a repeated line must not make itself look topical
        for term in own:
            counts[term] = counts.get(term, 0) + 1
    short = [_short_line(line.text.strip()) for line in lines]
    found = set()
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not short[index] or re.match(r"^(?:[-–—•*·]|\d+[.)])\s", text) or is_dated_dateline(text):
            continue
        if sum(short[max(0, index - 2):index + 3]) >= 3:
            continue  # part of a table or list
        tokens = words(text)
        if 2 <= len(tokens) <= 4 and all(t[:1].isupper() for t in tokens) and \
                not {_stem(t.lower()) for t in tokens} & lexicon.CHROME_WORDS:
            continue  # a name or caption
        own = terms[index] - lexicon.CHROME_WORDS
        if not any(counts[term] > 1 for term in own):
            found.add(index)
    return found


_HEAD_REPORTING_BY = re.compile(r"^(?:reporting|reported|report) by[:\s]\s*", re.IGNORECASE)


def take_metadata_line(line: Paragraph, meta: Metadata, full_text: str, in_head: bool = False) -> Removed | None:
    """Claim a date, byline, credit or agency line for the article's metadata. Above the story, a
    `Reporting by X` line is its byline; below it, a credit."""
    text = line.text.strip()
    if meta.published_date is None and (date_line := parse_date_line(text)):
        if not date_line.candidates:  # "30 February 2024": refused, never moved to a day the calendar has
            written = next((found.text for found in impossible_dates(text)), text)
            note_field_issue(meta, impossible_date_issue(written))  # once, if the page's metadata wrote it too
            if not lexicon.LAST_UPDATE_LABEL.search(text):
                meta.published_date_text = meta.published_date_text or text
        elif lexicon.LAST_UPDATE_LABEL.search(text):  # "Last updated: ..." dates the last edit, not the publication
            note_field_issue(meta, last_update_issue(choose_date(date_line, full_text)))
        else:
            meta.published_date = choose_date(date_line, full_text)
            meta.published_date_source = "date_line"
            meta.published_date_text = date_line.text
            if ambiguous_order(date_line, full_text):  # kept, and said to be a reading, never guessed silently
                note_field_issue(meta, ambiguous_order_issue(date_line.text, meta.published_date))
        return Removed(line.line_no, text, "date_line", "metadata")
    as_byline = _HEAD_REPORTING_BY.sub("By ", text) if in_head and not meta.authors else text
    if (byline := parse_byline(as_byline)) is not None:
        authors, agency = byline
        # A visible byline that repeats the page's own author metadata adds only titles and affiliations
        # ("By Ana Lind, Project Marketing, Acme"): the metadata's names stand.
        if not (meta.authors and all(a in authors for a in meta.authors)):
            meta.authors_source = "page_metadata+byline" if meta.authors_source == "page_metadata" else "byline"
            meta.authors.extend(a for a in authors if a not in meta.authors)
        meta.agency = meta.agency or agency
        meta.byline_text = f"{meta.byline_text}\n{text}" if meta.byline_text else text
        return Removed(line.line_no, text, "byline", "metadata")
    if is_credit(text):
        meta.credit_text = f"{meta.credit_text}\n{text}" if meta.credit_text else text
        return Removed(line.line_no, text, "credit", "metadata")
    if (agency := agency_of(text)) is not None:
        meta.agency = meta.agency or agency
        return Removed(line.line_no, text, "agency_line", "metadata")
    return None


def take_clutter_line(line: Paragraph, meta: Metadata) -> Removed | None:
    """Clutter by pattern or greeting, wherever it stands; a URL line also gives the source URL."""
    text = line.text.strip()
    reason = pattern_reason(text)
    if reason == "url" and meta.source_url is None and (domain := domain_of(text)):
        meta.source_url, meta.source_domain = text, domain
    if reason is None and is_greeting(text):
        reason = "sign_off" if lexicon.SIGN_OFF.match(text.strip().strip("\"“”'‘’")) else "greeting"
    return Removed(line.line_no, text, reason) if reason else None


def _is_title_line(lines: list[Paragraph], index: int) -> bool:
    """A headline: headline-shaped after removing decoration, not clutter, and followed by more text.
    Two-word headlines count only when article prose follows directly."""
    if index + 1 >= len(lines):
        return False
    text = lines[index].text.strip()
    title, extra = strip_title_decoration(text, lines[index].line_no)
    if not extra and (pattern_reason(text) or is_greeting(text) or parse_date_line(text) or parse_byline(text)):
        return False
    if not (is_headline(title) or (len(words(title)) == 2 and not ends_sentence(title) and title[:1].isupper()
                                   and is_paragraph(lines[index + 1].text))):
        return False
    return _is_topical(lines, index, title)


def _is_topical(lines: list[Paragraph], index: int, text: str | None = None) -> bool:
    """A headline or deck is about the story: it shares a content word with the text that follows it."""
    following = " ".join(line.text for line in lines[index + 1:index + 8])
    own = content_terms(text if text is not None else lines[index].text) - lexicon.CHROME_WORDS
    return bool(own & content_terms(following))


def split_head(lines: list[Paragraph], meta: Metadata, full_text: str, find_title: bool
               ) -> tuple[list[Removed], int]:
    """Classify the lines before the first body paragraph; returns removals and where the body starts."""
    removed: list[Removed] = []
    for index, line in enumerate(lines):
        text = line.text.strip()
        if find_title and meta.title is None and _is_title_line(lines, index):
            title, extra = strip_title_decoration(text, line.line_no)
            meta.title, meta.title_source = title, "headline_line"
            removed.extend(extra)
            removed.append(Removed(line.line_no, text, "title", "metadata"))
            continue
        if (hit := take_clutter_line(line, meta)) is not None:
            removed.append(hit)
            continue
        if (hit := take_metadata_line(line, meta, full_text, in_head=True)) is not None:
            removed.append(hit)
            continue
        if is_paragraph(text) or split_dateline(text)[0] is not None or is_short_prose(text):
            return removed, index
        if meta.title is not None and (len(words(text)) >= 8 or (is_headline(text) and _is_topical(lines, index))):
            return removed, index  # a standfirst/deck under the headline is article text
        if is_dated_dateline(text):
            return removed, index  # "BRUSSELS, December 2 (Xinhua) --": where and when the story was filed
        removed.append(Removed(line.line_no, text, "page_chrome"))
    return removed, len(lines)


_ADDRESSES_READER = re.compile(r"\b(?:you|your|we|us|our)\b", re.IGNORECASE)


def related_links_start(lines: list[Paragraph]) -> int | None:
    """Index of a "You may also like" header in the second half of the text followed only by story
    headlines (short, no closing period): a block of links to other stories, not article text."""
    for index in range(len(lines) - 2, len(lines) // 2 - 1, -1):
        if lexicon.RELATED_HEADER.match(lines[index].text.strip()):
            following = [line.text.strip() for line in lines[index + 1:]]
            if all(len(words(text)) <= 20 and not text.endswith((".", "!")) and not _ADDRESSES_READER.search(text)
                   for text in following):
                return index
            return None
    return None


def split_tail(lines: list[Paragraph], meta: Metadata, full_text: str, short_lines_are_chrome: bool = True
               ) -> tuple[list[Removed], int]:
    """Classify the lines after the last body paragraph (walking backwards); returns where it ends.
    In text trafilatura already cut from a page, a short last line is content (a list's last item, a
    phone number), so `short_lines_are_chrome` is off there."""
    removed: list[Removed] = []
    end = len(lines)
    if (start := related_links_start(lines)) is not None:
        removed = [Removed(line.line_no, line.text.strip(), "related_links") for line in reversed(lines[start:])]
        end = start
    while end > 0:
        line = lines[end - 1]
        text = line.text.strip()
        hit = take_clutter_line(line, meta) or take_metadata_line(line, meta, full_text)
        if hit is None and short_lines_are_chrome and len(words(text)) <= 4 and not ends_sentence(text) and end > 1:
            hit = Removed(line.line_no, text, "page_chrome")
        if hit is None:
            break
        removed.append(hit)
        end -= 1
    return list(reversed(removed)), end


def recurring_prompts(paragraphs: list[Paragraph]) -> set[str]:
    """Keys of paragraphs that recur by design: a question put to every interviewee, or any paragraph
    repeated three or more times (a section prompt). A pasted-twice lede is a duplicate; these are not."""
    counts: dict[str, int] = {}
    for para in paragraphs:
        key = normalize_line(para.text)
        counts[key] = counts.get(key, 0) + 1
    return {key for para in paragraphs if counts[key := normalize_line(para.text)] >= 3
            or (counts[key] > 1 and para.text.rstrip().endswith("?"))}


def finish_body(paragraphs: list[Paragraph], meta: Metadata, near_duplicates: bool = True) -> tuple[str, list[Removed]]:
    """Dateline prefix, duplicates and edge greetings -> final body text (paragraphs joined by a blank line)."""
    removed: list[Removed] = []
    kept: list[Paragraph] = []
    seen: set[str] = set()
    title_key = normalize_line(meta.title) if meta.title else None
    recurring = recurring_prompts(paragraphs)
    for para in paragraphs:
        key = normalize_line(para.text)
        if title_key and key == title_key:
            removed.append(Removed(para.line_no, para.text, "repeated_headline"))
        elif key in seen and key not in recurring and len(words(para.text)) >= 8:
            removed.append(Removed(para.line_no, para.text, "duplicate"))
        else:
            seen.add(key)
            kept.append(para)
    duplicates = {j: i for j, i in near_duplicate_pairs([p.text for p in kept]).items()
                  if normalize_line(kept[j].text) not in recurring} if near_duplicates else {}
    removed.extend(Removed(kept[j].line_no, kept[j].text, "near_duplicate") for j in sorted(duplicates))
    kept = [p for j, p in enumerate(kept) if j not in duplicates]
    if kept:
        dateline, rest = split_dateline(kept[0].text)
        if dateline is not None:
            meta.dateline, meta.dateline_text = dateline.place, dateline.text
            meta.agency = meta.agency or dateline.agency
            removed.append(Removed(kept[0].line_no, dateline.text, "dateline", "metadata"))
            kept[0] = Paragraph(kept[0].line_no, rest)
    kept, edge = strip_edge_greetings(kept)
    removed.extend(edge)
    return "\n\n".join(p.text.strip() for p in kept), removed


def _inline_clutter(line: Paragraph, meta: Metadata, from_html: bool) -> Removed | None:
    """Clutter inside the body. In extracted HTML, "| a | b |" lines are table rows and a visible URL is
    link text the page shows as content, so neither counts there."""
    if from_html and line.text.lstrip().startswith("|"):
        return None
    hit = take_clutter_line(line, meta)
    return None if hit is None or (from_html and hit.reason == "url") else hit


DATE_LINE_REACH = 3  # body lines, from the top, where a lone date line is still the publication date


def classify_lines(lines: list[Paragraph], meta: Metadata, full_text: str, *, from_html: bool
                   ) -> tuple[str, list[Removed]]:
    """Head zone, tail zone, clutter inside the body, then duplicates and datelines -> (body, removed).

    Plain text also loses off-topic furniture lines; HTML has had its page furniture removed by
    trafilatura, and the remaining short lines there are mostly subheadings and captions."""
    head_removed, body_start = split_head(lines, meta, full_text, find_title=not from_html)
    tail_removed, body_end = split_tail(lines[body_start:], meta, full_text, short_lines_are_chrome=not from_html)
    removed = head_removed + tail_removed
    paragraphs: list[Paragraph] = []
    for index, line in enumerate(lines[body_start: body_start + body_end]):
        if (hit := _inline_clutter(line, meta, from_html)) is not None:
            removed.append(hit)
        elif index < DATE_LINE_REACH and meta.published_date is None and parse_date_line(line.text):
            # a date line under a deck or a one-line lede ("Posted: May 24, 2005") is still the article's date
            removed.append(take_metadata_line(line, meta, full_text))
        else:
            paragraphs.append(line)
    if not from_html:
        furniture = off_topic_chrome(paragraphs)
        removed.extend(Removed(p.line_no, p.text, "page_chrome") for i, p in enumerate(paragraphs) if i in furniture)
        paragraphs = [p for i, p in enumerate(paragraphs) if i not in furniture]
    body, body_removed = finish_body(paragraphs, meta, near_duplicates=not from_html)
    return body, sorted(removed + body_removed, key=lambda r: r.line_no)

"""Plain-text articles: the project's own line classifier.

Every non-blank raw line ends up either in the body or in the removed list (clutter with a reason, or
metadata moved to an article column), so nothing is dropped silently.
"""

from __future__ import annotations

import re

from transforms.article import Metadata, Paragraph, Removed
from transforms.dates import parse_date_line
from transforms.clean.paragraphs import classify_lines, ends_sentence, parse_byline, pattern_reason

_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def stands_alone(line: str) -> bool:
    """A lower-case line that is a byline, date or clutter line of its own, not a wrapped continuation
    (a bare URL under a long line is usually that line's link, so it still joins)."""
    return parse_byline(line) is not None or parse_date_line(line) is not None or \
        pattern_reason(line) not in (None, "url")


def split_lines(text: str) -> list[Paragraph]:
    """Non-blank lines with their 1-based line numbers, hard-wrapped prose lines joined back together."""
    lines: list[Paragraph] = []
    previous_blank = True
    for number, raw in enumerate(_NEWLINES.sub("\n", text).split("\n"), start=1):
        line = raw.strip()
        if not line:
            previous_blank = True
            continue
        if (lines and not previous_blank and len(lines[-1].text) >= 40 and not ends_sentence(lines[-1].text)
                and line[:1].islower() and not stands_alone(line)):
            lines[-1] = Paragraph(lines[-1].line_no, f"{lines[-1].text} {line}")
        else:
            lines.append(Paragraph(number, line))
        previous_blank = False
    return lines


def clean_plain_text(text: str) -> tuple[str, Metadata, list[Removed]]:
    """Raw plain text -> (body, metadata, removed lines)."""
    meta = Metadata()
    lines = split_lines(text)
    body, removed = classify_lines(lines, meta, text, from_html=False)
    return body, meta, removed

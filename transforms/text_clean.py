"""Plain-text articles: the project's own line classifier.

Every non-blank raw line ends up either in the body or in the removed list (clutter with a reason, or
metadata moved to an article column), so nothing is dropped silently.
"""

from __future__ import annotations

import re

from transforms.article import Metadata, Paragraph, Removed
from transforms.paragraphs import (ends_sentence, finish_body, off_topic_chrome, split_head, split_tail,
                                   take_clutter_line)

_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x85")


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
                and line[:1].islower()):
            lines[-1] = Paragraph(lines[-1].line_no, f"{lines[-1].text} {line}")
        else:
            lines.append(Paragraph(number, line))
        previous_blank = False
    return lines


def clean_plain_text(text: str) -> tuple[str, Metadata, list[Removed]]:
    """Raw plain text -> (body, metadata, removed lines)."""
    meta = Metadata()
    lines = split_lines(text)
    head_removed, body_start = split_head(lines, meta, text, find_title=True)
    tail_removed, body_end = split_tail(lines[body_start:], meta, text)
    removed = head_removed + tail_removed
    paragraphs: list[Paragraph] = []
    for line in lines[body_start: body_start + body_end]:
        if (hit := take_clutter_line(line, meta)) is not None:
            removed.append(hit)
        else:
            paragraphs.append(line)
    furniture = off_topic_chrome(paragraphs)
    removed.extend(Removed(p.line_no, p.text, "page_chrome") for i, p in enumerate(paragraphs) if i in furniture)
    paragraphs = [p for i, p in enumerate(paragraphs) if i not in furniture]
    body, body_removed = finish_body(paragraphs, meta)
    removed.extend(body_removed)
    return body, meta, sorted(removed, key=lambda r: r.line_no)

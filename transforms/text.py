"""Comparison keys for text: the one folding of Unicode forms, curly apostrophes and case that every
key in the project starts from (lines, names, places)."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """NFKC form, curly apostrophes as `'`, lower case."""
    return unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()


def line_key(text: str) -> str:
    """A line as words: folded, every run of non-word characters one space."""
    return re.sub(r"\W+", " ", fold(text)).strip()

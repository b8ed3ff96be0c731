"""Comparison keys for text: the one folding of Unicode forms, curly apostrophes and case that every
key in the project starts from (lines, names, places); and a length in words that holds in any script."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """NFKC form, curly apostrophes as `'`, lower case."""
    return unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NO_TEXT = ("Cn", "Co")  # unassigned and private-use code points: no font shows them, trafilatura drops them
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 but tab and line ends, DEL, C1


def blank_unassigned(text: str) -> str:
    """`text` with every control character (but tab and line ends) and every unassigned or private-use code
    point made a space: such a character carries no text, and dropped (as the HTML parser and trafilatura drop
    it) it would join the words on either side ("0\x7f0", "0\U00018cd60" -> "00")."""
    text = _CONTROL.sub(" ", text)
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: " " if unicodedata.category(m.group()) in _NO_TEXT else m.group(), text)


def line_key(text: str) -> str:
    """A line as words: folded, every run of non-word characters one space."""
    return re.sub(r"\W+", " ", fold(text)).strip()


# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): each character counts
# as one unit there, so a Japanese article is not 20 "words" long. Hangul separates words by spaces.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                       r"\uf900-\ufaff\uff66-\uff9f]")


def unspaced_chars(text: str) -> int:
    """Characters of scripts written without spaces between words."""
    return len(_UNSPACED.findall(text))


def word_units(text: str) -> int:
    """Words for spaced scripts plus characters for unspaced ones: a length that means the same in any script."""
    return unspaced_chars(text) + len(_UNSPACED.sub(" ", text).split())

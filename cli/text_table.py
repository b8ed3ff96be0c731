"""Rows as an aligned plain-text table, for `newsetl status` and `newsetl sql`: readable on a terminal and
in a log, with no box-drawing characters to garble when pasted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

NULL = "NULL"


def cell_text(value: object, max_width: int = 0) -> str:
    """One value on one line: NULL for missing values, newlines shown as \\n, cut at `max_width` (0: never)
    with an ellipsis so a long article body does not push every other column off the screen."""
    if value is None:
        text = NULL
    elif isinstance(value, datetime):
        text = value.isoformat(sep=" ", timespec="seconds") if not value.microsecond else str(value)
    else:
        text = str(value)
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\t", " ")
    if max_width and len(text) > max_width:
        text = text[:max_width - 1] + "…"
    return text


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def text_table(columns: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 0) -> str:
    """Header, a dashed rule, then one line per row; numbers right-aligned, everything else left-aligned."""
    cells = [[cell_text(value, max_width) for value in row] for row in rows]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(columns)]
    numeric = [bool(rows) and all(_is_number(row[i]) or row[i] is None for row in rows) for i in range(len(columns))]

    def line(texts: Sequence[str]) -> str:
        return "  ".join(text.rjust(width) if right else text.ljust(width)
                         for text, width, right in zip(texts, widths, numeric)).rstrip()

    return "\n".join([line(list(columns)), line(["-" * width for width in widths])] + [line(row) for row in cells])

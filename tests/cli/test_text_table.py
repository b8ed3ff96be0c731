"""Rows as an aligned plain-text table: one line per row, numbers to the right, NULL and line breaks shown, long
cells cut."""

from datetime import datetime
from decimal import Decimal

from cli.text_table import cell_text, text_table


def test_columns_line_up_and_numbers_align_right():
    table = text_table(["id", "name", "share"], [(1, "Alder", Decimal("0.5")), (12, None, None), (3, "Birch", 1.25)])
    assert table.splitlines() == ["id  name   share",
                                  "--  -----  -----",
                                  " 1  Alder    0.5",
                                  "12  NULL    NULL",
                                  " 3  Birch   1.25"]


def test_booleans_are_not_numbers_and_an_empty_result_keeps_its_header():
    assert text_table(["open", "n"], [(True, 1), (False, 2)]).splitlines()[2:] == ["True   1", "False  2"]
    assert text_table(["a", "bb"], []) == "a  bb\n-  --"


def test_a_cell_is_one_line_cut_with_an_ellipsis():
    assert cell_text("two\nlines\r\nhere\tand a tab") == "two\\nlines\\nhere and a tab"
    assert cell_text("x" * 10, max_width=5) == "xxxx…"
    assert cell_text("x" * 10) == "x" * 10  # 0: never cut
    assert cell_text(None) == "NULL"


def test_a_time_shows_seconds_unless_it_has_a_fraction():
    assert cell_text(datetime(2026, 1, 5, 9, 0, 0)) == "2026-01-05 09:00:00"
    assert cell_text(datetime(2026, 1, 5, 9, 0, 0, 500)) == "2026-01-05 09:00:00.000500"

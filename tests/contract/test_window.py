"""The plausible-date window."""

from datetime import date

from contract.window import DateWindow
from transforms.dates import DateValue


def test_the_window_reaches_two_years_past_publication_and_a_century_for_a_bare_year():
    window = DateWindow(date(2026, 12, 3))
    published = date(2024, 3, 5)
    assert window.contains(DateValue(date(2025, 11, 22), "day"), published)  # "a November 22, 2025 release"
    assert window.contains(DateValue(date(2026, 3, 5), "day"), published)
    assert not window.contains(DateValue(date(2026, 3, 7), "day"), published)
    assert window.contains(DateValue(date(2050, 1, 1), "year"), published)  # "net zero by 2050"
    assert not window.contains(DateValue(date(2125, 1, 1), "year"), published)
    assert not window.contains(DateValue(date(1899, 12, 1), "month"), published)
    # no publication date, or an implausible one: the run date is the anchor
    assert window.contains(DateValue(date(2028, 12, 4), "day"), None)
    assert not window.contains(DateValue(date(2028, 12, 6), "day"), date(2099, 3, 5))
    assert window.published_ok(date(2026, 12, 5)) and not window.published_ok(date(2026, 12, 6))
    assert DateWindow(date(9999, 12, 30)).contains(DateValue(date(9999, 12, 31), "day"), None)  # no overflow


def test_a_bare_year_may_be_history_before_the_earliest_date_but_a_day_may_not():
    window = DateWindow(date(2026, 12, 3))
    published = date(2024, 3, 5)
    assert window.contains(DateValue(date(1898, 1, 1), "year"), published)  # "independence from Spain in 1898"
    assert window.contains(DateValue(date(1600, 1, 1), "year"), published)
    assert not window.contains(DateValue(date(1599, 1, 1), "year"), published)
    assert not window.contains(DateValue(date(1898, 4, 25), "day"), published)
    # the reach follows a configured earliest date
    assert not DateWindow(date(2026, 12, 3), earliest=date(2000, 1, 1)).contains(
        DateValue(date(1699, 1, 1), "year"), published)

"""The contract's limits mean what their comments say: the date window's reach, the clutter and repost
thresholds, and the defaults configuration starts from."""

from datetime import date, timedelta

import pytest

from contract import limits
from flows.settings import Settings


@pytest.mark.parametrize("published", [date(2024, 2, 28), date(2024, 3, 1), date(2025, 12, 31), date(2027, 3, 1)])
def test_a_day_date_may_lie_two_calendar_years_after_publication_leap_day_or_not(published):
    two_years_on = published.replace(year=published.year + 2)
    assert published + timedelta(days=limits.DATE_AHEAD_DAYS) >= two_years_on
    assert limits.DATE_AHEAD_DAYS <= 2 * 366  # and not a third year


def test_a_publication_date_may_lead_the_run_by_a_time_zone_not_more():
    assert 1 <= limits.PUBLISHED_AHEAD_DAYS <= 2  # clocks ahead by up to 14 hours; nothing is published later


def test_the_earliest_date_is_a_date_and_long_range_targets_fit():
    assert date.fromisoformat(limits.EARLIEST_DATE) < date(1950, 1, 1)
    assert 2050 - date.today().year <= limits.YEAR_AHEAD_YEARS  # "net zero by 2050"


def test_the_thresholds_are_shares_and_counts():
    assert 0 < limits.CLUTTER_SHARE_LIMIT < 1 and limits.SHORT_BODY_WORDS > 0
    assert 0 < limits.REPOST_MIN_SIMILARITY <= 1 and limits.REPOST_SHINGLE_WORDS >= 2


def test_configuration_starts_from_the_limits(monkeypatch):
    for name in ("NEWSETL_EARLIEST_DATE", "NEWSETL_DATE_AHEAD_DAYS"):
        monkeypatch.delenv(name, raising=False)
    window = Settings().date_window(date(2026, 1, 5))
    assert window.earliest == date.fromisoformat(limits.EARLIEST_DATE)
    assert window.ahead_days == limits.DATE_AHEAD_DAYS
    assert window.latest_published == date(2026, 1, 5) + timedelta(days=limits.PUBLISHED_AHEAD_DAYS)

"""The plausible-date window: which dates a news text can mean, part of the contract because both the
resolve stage (which keeps an implausible date as text, never as a date) and the row checks of the tables
(`expectations.checks`) hold dates to it. Its reach comes from `contract.limits`, overridable by
configuration (`flows.settings`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from contract.limits import (DATE_AHEAD_DAYS, EARLIEST_DATE, PUBLISHED_AHEAD_DAYS, YEAR_AHEAD_YEARS,
                             YEAR_BEFORE_EARLIEST_YEARS)


class DatedValue(Protocol):
    """A date at a precision (`transforms.dates.DateValue`)."""

    value: date
    precision: str


@dataclass(frozen=True)
class DateWindow:
    """The dates a news text can plausibly mean. A publication date lies between `earliest` and a few days
    after the run (nothing is published in the future: a "2099" date line is a typo). Any other date lies
    between `earliest` and, after the article's publication (else the run date), `ahead_days` for a day,
    week or month (talks next spring, a film's release 19 months on) or `ahead_years` for a bare year ("cut
    emissions by 2050"); a bare year may also reach `YEAR_BEFORE_EARLIEST_YEARS` back ("in 1898"). A date
    outside is kept as text and marked implausible, never used as a reference or an event date. Measured on
    404 real articles in docs/quality.md.
    """

    run_date: date
    earliest: date = date.fromisoformat(EARLIEST_DATE)
    ahead_days: int = DATE_AHEAD_DAYS
    ahead_years: int = YEAR_AHEAD_YEARS

    @property
    def earliest_year(self) -> int:
        """The earliest plausible bare year: history a text states, not a typo."""
        return self.earliest.year - YEAR_BEFORE_EARLIEST_YEARS

    @property
    def latest_published(self) -> date:
        return _plus_days(self.run_date, PUBLISHED_AHEAD_DAYS)

    def published_ok(self, day: date) -> bool:
        return self.earliest <= day <= self.latest_published

    def contains(self, value: DatedValue, published: date | None) -> bool:
        """Is `value` plausible in a text published on `published` (None: unknown, the run date counts)?"""
        anchor = min(published or self.latest_published, self.latest_published)
        if value.precision == "year":
            return self.earliest_year <= value.value.year <= anchor.year + self.ahead_years
        return self.earliest <= value.value <= _plus_days(anchor, self.ahead_days)


def _plus_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max

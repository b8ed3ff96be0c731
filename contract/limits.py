"""The contract's limits: which dates are plausible, when a body left from clutter is doubtful, when a body is
a repost of another. Checks (`contract.tables` row checks, `expectations`) and transforms read them here;
the date window is overridable by configuration (`flows.settings`)."""

from __future__ import annotations

# How far ahead of the run date a date may lie: publication dates barely (clock skew, time zones),
# events a year (talks scheduled for next spring are news; an event dated years ahead is a misreading).
PUBLISHED_AHEAD_DAYS = 2
EARLIEST_DATE = "1900-01-01"
# The plausible window of dates in a text (`transforms.dates.DateWindow`; NEWSETL_EARLIEST_DATE and
# NEWSETL_DATE_AHEAD_DAYS override): from EARLIEST_DATE to two years after the article's publication for a
# day, week or month; a bare year may be a long-range target ("by 2050") up to YEAR_AHEAD_YEARS ahead.
DATE_AHEAD_DAYS = 731
YEAR_AHEAD_YEARS = 100
# A bare year a text states ("fought for independence in 1898") may be history: it may lie this many years
# before the earliest date (a typo'd year lands ahead, "in 2091", not centuries back).
YEAR_BEFORE_EARLIEST_YEARS = 300
# A body is doubtful when most of its input's characters were page clutter and what is left is short (real
# HTML pages are often 80-90% chrome around a long body): it is kept, the doubt noted in `field_issues`
# (a short news item is still an article). Words are counted per script (`transforms.text.word_units`).
CLUTTER_SHARE_LIMIT = 0.5
SHORT_BODY_WORDS = 50
# Reposts: a later body whose word 5-gram set (shingles) has at least this Jaccard index with an earlier
# body's is a lightly edited copy of it (tuned on ECB+, `bench/duplicates.py`; see docs/quality.md).
REPOST_SHINGLE_WORDS = 5
REPOST_MIN_SIMILARITY = 0.35

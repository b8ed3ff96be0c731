"""Dates in news text: find date expressions, parse them, resolve them against a reference date.

A resolved date carries its precision (day, week, month or year); `event_date` is the first day of that period
(a week is Monday to Sunday, so a `week` date is a Monday).
Nothing here ever reads the clock: a missing reference date leaves relative expressions unresolved
rather than filling them with today's date.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Literal

from contract.window import DateWindow

Precision = Literal["day", "week", "month", "year"]
Direction = Literal["past", "future"]

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<{g}>jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may\.?|jun(?:e|\.)?|jul(?:y|\.)?|aug(?:ust|\.)?|" \
         r"sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
_WEEKDAY = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"

# Explicit calendar dates, most specific first. Group names: m/d/y (+ suffix 2 for the second pattern).
_EXPLICIT = re.compile(
    r"\b(?:" + _WEEKDAY + r",?\s+)?(?:"
    + _MONTH.format(g="m") + r"\s+" + _DAY.format(g="d") + r"\b(?:,?\s+" + _YEAR.format(g="y") + r")?"
    + r"|" + _DAY.format(g="d2") + r"\s+(?:of\s+)?" + _MONTH.format(g="m2") + r"\b(?:,?\s+" + _YEAR.format(g="y2") + r")?"
    + r"|(?:(?P<mod>early|mid|late|earlier in|later in|end of|beginning of|start of)[\s-]+)?"
    + _MONTH.format(g="m3") + r"(?:,?\s+" + _YEAR.format(g="y3") + r"|\s+(?P<ry>this|last|next)\s+year)?"
    + r"|(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
    + r")\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?:(?P<today>today(?!['’]s\s+(?:world|youth|society|generation|children|kids|teens|culture|economy|"
    r"standards|age|times)\b)|tonight|this morning|this afternoon|this evening)"
    r"|(?P<yesterday>yesterday|last night)"
    r"|(?P<tomorrow>tomorrow)"
    r"|(?P<rel>last|this|next|earlier this|later this|past|previous|coming|the previous|the following|"
    r"(?:the\s+)?end\s+of\s+(?:the|this))\s+(?P<unit>week|month|year|weekend)"
    r"|(?P<weekend>(?:over|during|at|on)\s+the\s+weekend)"
    r"|(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?P<unit2>days?|weeks?|months?|years?)\s+"
    r"(?P<ago>ago|earlier|before|later|after)"
    r"|(?:(?P<wmod>last|this|next|on|late|early|since|until|by|as soon as)\s+)?" + _WEEKDAY
    + r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:(?:in|since|during|until|through|by|from|of|early|late|mid-?|before|after|throughout|between|"
    r"(?:dating|dates|back)\s+to)\s+|(?:post|pre)-)"
    r"(?P<year>(?:1[6-9]|20)\d\d)\b(?!\s*(?:people|troops|soldiers|militants|-))"
    r")\b",
    re.IGNORECASE,
)
# Years outside a prepositional phrase: the second of a pair ("in 1996 and 1997") and a year modifying a
# noun ("the 2007 ceremony", "the 1996 Olympic bombing", "a 1994 act": the year a name carries is a date too).
_YEAR_PAIR = re.compile(r"\s+(?:and|or|to|through)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*(?:people|troops|soldiers|-))")
_YEAR_MODIFIER = re.compile(r"(?:\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Aa])\s+(?P<year>(?:19|20)\d\d)(?=\s+[A-Za-z])"
                            # a possessive: "the club's 1983 title"
                            r"|\w(?:['’]s|s['’])\s+(?P<year2>(?:19|20)\d\d)(?=\s+[A-Za-z]))"
                            r"(?!\s+(?:people|troops|soldiers|militants|members|of)\b)")
# "in May", "until May": after a preposition of time the capitalised modal is the month.
_MONTH_PREPOSITION = re.compile(r"\b(?:in|since|until|till|by|during|through|from|before|after)\s+$")
# Month names that are also given names or words when clipped without a period ("Jan Kavan", "Jun").
_CLIPPED_MONTHS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
# A bare month heading a name: "the March for Life", "March of the Combatant Mothers", "March of Dimes".
_NAMED_AFTER = re.compile(r"\s+(?:for|of)\s+(?:the\s+)?[A-Z]")
# Named days of the (US) calendar as (month, weekday, nth) — nth -1 the last, weekday None a fixed day
# of month `nth` — so "Thanksgiving Day" and "Election Day" are dates, like the day they name.
HOLIDAYS: dict[str, tuple[int, int | None, int]] = {
    "thanksgiving": (11, 3, 4), "election day": (11, 1, 1), "memorial day": (5, 0, -1), "labor day": (9, 0, 1),
    "christmas": (12, None, 25), "christmas eve": (12, None, 24), "new year's eve": (12, None, 31),
    "new year's day": (1, None, 1), "independence day": (7, None, 4), "fourth of july": (7, None, 4),
    "easter": (4, 6, 0),  # a Sunday in March or April, computed (`_easter`)
}
_HOLIDAY = re.compile(
    r"\b(?:(?P<hmod>last|next|this)\s+)?(?P<holiday>Thanksgiving(?:\s+Day)?|Election\s+Day|Memorial\s+Day|"
    r"Labor\s+Day|Christmas(?:\s+Eve|\s+Day)?|New\s+Year['’]s\s+(?:Eve|Day)|Independence\s+Day|"
    r"(?:the\s+)?Fourth\s+of\s+July"
    # "Easter week" is the (Monday-to-Sunday) week of Easter Sunday; "Easter Island", "Easter eggs" are no dates
    r"|Easter(?:\s+Sunday)?(?!\s+(?:[A-Z]|eggs?\b|bunny\b)))(?P<hweek>\s+week)?\b")
# Times told from the story's own time, not the reference ("the next morning", "Earlier that day", "later that
# year"): resolved against the latest date the text stated before them (`transforms.resolve.timeline.
# narrative_anchors`). "The day after his death" is counted from the event it names and stays unresolved.
_ANCHORED = re.compile(
    r"\b(?:(?:earlier|later)\s+)?that\s+(?P<that>day|morning|afternoon|evening|night|week|month|year)\b(?![-'’]|\s+care\b)"
    r"|\bthe\s+(?P<next>next|following|previous|preceding)\s+(?:day|morning|afternoon|evening|night)\b"
    r"|\bthe\s+(?:day|night)\s+(?P<around>before|after)\b",
    re.IGNORECASE)
# "the day after" an event is a date when a noun phrase follows ("the day after his death", "the day before the vote").
_EVENT_AFTER = re.compile(r"\s+(?:the|his|her|their|its|a|an|this|that)\s+\w", re.IGNORECASE)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_HALF_WEEK_DAYS = 3
_PART_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})
# A clock time ("at 10:35 a.m.", "at midday") names a time on a day the sentence states, if it states one.
_CLOCK = re.compile(r"\b(?:\d{1,2}(?:[:.]\d{2})?\s?[ap]\.\s?m\b\.?|\d{1,2}:\d{2}\s?[ap]m\b|midday\b|(?<!high )noon\b"
                    r"|(?<=\bat )\d{1,2}(?:\s+o['’]clock)?\s+in\s+the\s+(?:morning|afternoon|evening))",
                    re.IGNORECASE)
# What may stand between a clock time and its day for the two to be one expression ("9 a.m. EST Tuesday").
_CLOCK_JOIN = re.compile(r"^\s*(?:[A-Z]{2,4}\s+)?(?:on\s+|,\s*)?$")
# How much nearer a year-less date ahead must be to beat the one behind outside a future clause (`_year_for`).
_AGAINST_TENSE_DAYS = 180
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10}
_FUTURE_CUES = re.compile(
    r"\b(?:will|shall|is to|are to|scheduled|expected to|plans? to|planned|set to|due to|would begin|"
    r"to begin|to start|to resume|to be held|upcoming|next)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateSpec:
    """A parsed, not yet resolved, date expression."""

    kind: Literal["absolute", "weekday", "relative", "year"]
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    unit: Literal["day", "week", "month", "year"] | None = None
    offset: int = 0
    direction: Direction | None = None  # for weekdays and year-less dates: before or after the reference
    relative_to_event: bool = False  # "a day after the vote": counted from another event, not the reference
    holiday: str | None = None  # a named day ("Thanksgiving"), a key of HOLIDAYS; month says which month
    shift_days: int | None = None  # "the day before last Tuesday": the stated day, this many days on
    narrative: bool | None = None  # "the next morning", "later that year": counted from the date last told


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    spec: DateSpec


@dataclass(frozen=True)
class DateValue:
    value: date
    precision: Precision


def spec_to_json(spec: DateSpec) -> str:
    """A parsed expression as JSON, so resolution can happen later (and again) from stored rows."""
    return json.dumps({k: v for k, v in asdict(spec).items() if v is not None}, sort_keys=True)


def spec_from_json(text: str) -> DateSpec:
    return DateSpec(**json.loads(text))


def _month_number(token: str) -> int:
    name = token.lower().rstrip(".")
    return MONTHS.get(name) or MONTHS[name[:3]]


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
        return True
    except ValueError:
        return False


def _calendar_shaped(y: int | None, m: int, d: int) -> bool:
    """A full date the writer meant as one, whether or not the calendar has it: a year, a month, a day of
    1 to 31 ("30 February 2024" is an impossible date; "June 31" without a year, like "June 31 people",
    is no date at all)."""
    return y is not None and 1 <= m <= 12 and 1 <= d <= 31


def not_a_calendar_day(spec: DateSpec) -> bool:
    """`spec` writes a full date that no calendar has (30 February, 31 April, 29 February 2023)."""
    return spec.kind == "absolute" and bool(spec.year and spec.month and spec.day) \
        and not _valid(spec.year, spec.month, spec.day)  # type: ignore[arg-type]


def _explicit_spec(match: re.Match[str]) -> DateSpec | None:
    """The parsed expression; a full date the calendar lacks is kept (it resolves to nothing and is marked
    implausible) so that it is refused where it stands, not replaced by another date of the text."""
    g = match.groupdict()
    if g.get("iy"):
        y, m, d = int(g["iy"]), int(g["im"]), int(g["id"])
        return DateSpec("absolute", y, m, d) if _valid(y, m, d) or _calendar_shaped(y, m, d) else None
    for mk, dk, yk in (("m", "d", "y"), ("m2", "d2", "y2")):
        if g.get(mk) and g.get(dk):
            m, d = _month_number(g[mk]), int(g[dk])
            y = int(g[yk]) if g.get(yk) else None
            if not _valid(y or 2000, m, d) and not _calendar_shaped(y, m, d):
                return None
            return DateSpec("absolute", y, m, d, weekday=WEEKDAYS.get((g.get("wd") or "").lower()))
    if g.get("m3"):
        token = g["m3"]
        # A bare month name must be capitalised; "May" alone is too often the modal verb.
        if not token[0].isupper() or (token.lower() == "may" and not (g.get("y3") or g.get("mod") or g.get("ry"))
                                      and not _MONTH_PREPOSITION.search(match.string, 0, match.start())):
            return None
        if g.get("ry"):  # "in February this year", "April next year": the reference's year, or one off
            offset = {"this": 0, "last": -1, "next": 1}[g["ry"].lower()]
            return DateSpec("absolute", None, _month_number(token), unit="year", offset=offset)
        if not (g.get("y3") or g.get("mod")) and (token.lower() in _CLIPPED_MONTHS and not match.string.startswith(".", match.end())
                                                  or _NAMED_AFTER.match(match.string, match.end())):
            return None  # "Jan Kavan" (a clipped month without its period is a name), "the March for Life"
        return DateSpec("absolute", int(g["y3"]) if g.get("y3") else None, _month_number(token))
    return None


def _relative_spec(match: re.Match[str], sentence_future: bool) -> DateSpec | None:
    g = match.groupdict()
    direction: Direction = "future" if sentence_future else "past"
    if g.get("today"):
        return DateSpec("relative", unit="day", offset=0)
    if g.get("yesterday"):
        return DateSpec("relative", unit="day", offset=-1)
    if g.get("tomorrow"):
        return DateSpec("relative", unit="day", offset=1)
    if g.get("rel"):
        rel, unit = g["rel"].lower(), g["unit"].lower()
        unit = "week" if unit == "weekend" else unit
        offset = {"last": -1, "past": -1, "previous": -1, "the previous": -1, "next": 1, "coming": 1,
                  "the following": 1}.get(rel, 0)
        # "the previous week", "the following month": counted from the event just told, not from the reference
        told = rel in {"the previous", "the following"}
        if rel in {"last", "past"} and unit == "week" and _THE_BEFORE.search(match.string, 0, match.start()):
            # "for the past week": the seven days up to the reference, the week that holds most of them
            return DateSpec("relative", unit="week", offset=0, shift_days=-_HALF_WEEK_DAYS)
        return DateSpec("relative", unit=unit, offset=offset,  # type: ignore[arg-type]
                        relative_to_event=told, narrative=told or None)
    if g.get("weekend"):  # the weekend before (or, in a future clause, after) the reference: its Saturday's week
        return DateSpec("weekday", weekday=5, unit="week", direction=direction)
    if g.get("n"):
        n = _NUMBERS.get(g["n"].lower()) or int(g["n"])
        unit = g["unit2"].lower().rstrip("s")
        sign = -1 if g["ago"].lower() in {"ago", "earlier", "before"} else 1
        # "six weeks ago" names a week, not a day (TimeML dates it by its week): that week, by its Monday
        return DateSpec("relative", unit=unit, offset=sign * n)  # type: ignore[arg-type]
    if g.get("wd"):
        mod = (g.get("wmod") or "").lower()
        if mod in {"last", "since"}:
            direction = "past"
        elif mod in {"next", "by", "as soon as"}:  # "must decide by Friday": a deadline lies ahead
            direction = "future"
        return DateSpec("weekday", weekday=WEEKDAYS[g["wd"].lower()], direction=direction)
    if g.get("year"):
        return DateSpec("year", year=int(g["year"]))
    return None


def _holiday_spec(match: re.Match[str], sentence_future: bool) -> DateSpec:
    name = re.sub(r"\s+", " ", match["holiday"].lower().replace("’", "'")).removeprefix("the ")
    name = {"thanksgiving day": "thanksgiving", "christmas day": "christmas", "easter sunday": "easter"}.get(name, name)
    mod = (match["hmod"] or "").lower()
    direction: Direction = "past" if mod == "last" else "future" if mod == "next" or sentence_future else "past"
    return DateSpec("absolute", month=HOLIDAYS[name][0], direction=direction, holiday=name,
                    offset={"last": -1, "next": 1}.get(mod, 0), unit="week" if match["hweek"] else None)


def holiday_day(name: str, year: int) -> date:
    """The day a named holiday falls on in `year`."""
    if name == "easter":
        return _easter(year)
    month, weekday, nth = HOLIDAYS[name]
    if weekday is None:
        return date(year, month, nth)
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, d).weekday() == weekday]
    if name == "election day":  # the Tuesday after the first Monday
        return date(year, month, days[0] if days[0] >= 2 else days[1])
    return date(year, month, days[nth - 1] if nth > 0 else days[nth])


def _easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


_WEEK_OF = re.compile(r"\bthe\s+week\s+of\s+$", re.IGNORECASE)
_SECOND_DAY = re.compile(r"\s+(?:and|or|to|through|-|–)\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?![,.]?\d|\s*(?:%|percent|people|of\b))")


def _is_title(match: re.Match[str]) -> bool:
    """ "This Week" or "Next Year" capitalised inside a sentence is a name (a TV show, a slogan), not a date."""
    words = match.group(0).split()
    before = match.string[:match.start()].rstrip()
    return len(words) > 1 and all(w[:1].isupper() for w in words) and bool(before) \
        and not before.endswith((".", "!", "?", "\"", "“", "'", "`", ":"))


def find_dates(text: str, future_context: bool | None = None) -> list[DateMention]:
    """All date expressions in `text`, explicit ones first where they overlap relative ones."""
    sentence_future = bool(_FUTURE_CUES.search(text)) if future_context is None else future_context
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for match in _HOLIDAY.finditer(text):
        start, end = match.span()
        found.append(DateMention(start, end, match.group(0), _holiday_spec(match, sentence_future)))
        taken.append((start, end))
    for match in _EXPLICIT.finditer(text):
        spec = _explicit_spec(match)
        if spec is None or any(s < match.end() and match.start() < e for s, e in taken):
            continue
        if spec.year is None:  # a year-less date or month lies before or after the reference
            spec = replace(spec, direction="future" if sentence_future else "past")
        start, end = match.span()
        if spec.day and (week := _WEEK_OF.search(text, 0, start)):  # "the week of March 6": that week
            start, spec = week.start(), replace(spec, unit="week")
        found.append(DateMention(start, end, text[start:end], spec))
        taken.append((start, end))
        if spec.day and (second := _SECOND_DAY.match(text, end)) and _valid(spec.year or 2000, spec.month or 1,
                                                                            int(second["day"])):
            # "on April 24 and 25": the second day of the same month
            found.append(DateMention(second.start("day"), second.end("day"), second["day"],
                                     replace(spec, day=int(second["day"]), weekday=None)))
            taken.append(second.span("day"))
    for match in _RELATIVE.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken) or _is_title(match):
            continue
        spec = _relative_spec(match, sentence_future)
        if spec is not None and (match.group("ago") or "").lower() in {"after", "before"} \
                and text[end:].lstrip()[:1].isalnum():
            spec = DateSpec(spec.kind, unit=spec.unit, offset=spec.offset, relative_to_event=True)
        if spec is not None:
            found.append(DateMention(start, end, match.group(0), spec))
            taken.append((start, end))
            if spec.kind == "year" and (pair := _YEAR_PAIR.match(text, end)):
                found.append(DateMention(pair.start("year"), pair.end("year"), pair["year"],
                                         DateSpec("year", year=int(pair["year"]))))
                taken.append(pair.span("year"))
    for match in _YEAR_MODIFIER.finditer(text):
        group = "year" if match["year"] else "year2"
        start, end = match.span(group)
        if not any(s < end and start < e for s, e in taken):
            found.append(DateMention(start, end, match[group], DateSpec("year", year=int(match[group]))))
    return _clock_times(text, _anchored(text, sorted(found, key=lambda m: m.start)))


def _anchored_spec(match: re.Match[str]) -> DateSpec:
    if match["that"]:
        unit = "day" if match["that"].lower() in _PART_OF_DAY else match["that"].lower()
        return DateSpec("relative", unit=unit, offset=0, relative_to_event=True,  # type: ignore[arg-type]
                        narrative=True)
    word = (match["next"] or match["around"]).lower()
    # "the day after his death" is counted from the event it names, whose date is not the story's current one
    return DateSpec("relative", unit="day", offset=-1 if word in {"previous", "preceding", "before"} else 1,
                    relative_to_event=True, narrative=not match["around"] or None)


def _anchored(text: str, found: list[DateMention]) -> list[DateMention]:
    """`found` with the phrases told from the story's own time added; "the day before" a stated day ("the day
    before last Tuesday's hearing") is that day shifted, one expression."""
    for match in _ANCHORED.finditer(text):
        start, end = match.span()
        if any(m.start < end and start < m.end for m in found):
            continue
        spec = _anchored_spec(match)
        following = next((m for m in found if m.start >= end and not text[end:m.start].strip()), None)
        if match["around"] and not _EVENT_AFTER.match(text, end) and following is None:
            continue  # "Nov. 3, the day before authorities issued a warrant", "the day before returning"
        if match["around"] and following is not None and _names_a_day(following.spec):
            found = [m for m in found if m is not following]
            spec = replace(following.spec, shift_days=spec.offset)
            end = following.end
        found.append(DateMention(start, end, text[start:end], spec))
    return sorted(found, key=lambda m: m.start)


def _names_a_day(spec: DateSpec) -> bool:
    return (spec.kind == "absolute" and spec.day is not None and spec.unit is None) \
        or (spec.kind == "weekday" and spec.unit is None) \
        or (spec.kind == "relative" and spec.unit == "day" and not spec.shift_days
            and (not spec.relative_to_event or bool(spec.narrative)))


def _clock_times(text: str, found: list[DateMention]) -> list[DateMention]:
    """A clock time is on the day its sentence names: joined to that day when written next to it ("9 a.m. EST
    Tuesday"), else an expression of its own with the nearest such day's meaning ("at 10:35 a.m. (0735 GMT)
    Friday"). A clock time in a sentence naming no day is left out (it says nothing of the date)."""
    days = [m for m in found if _names_a_day(m.spec)]
    for match in _CLOCK.finditer(text):
        start, end = match.span()
        if not days or any(m.start < end and start < m.end for m in found):
            continue
        nearest = min(days, key=lambda m: min(abs(m.start - end), abs(start - m.end)))
        if nearest.start >= end and _CLOCK_JOIN.match(text[end:nearest.start]):
            joined = DateMention(start, nearest.end, text[start:nearest.end], nearest.spec)
            found = [joined if m is nearest else m for m in found]
            days = [joined if m is nearest else m for m in days]
        else:
            found = sorted([*found, DateMention(start, end, match.group(0), nearest.spec)], key=lambda m: m.start)
    return found


def _shift_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def resolve(spec: DateSpec, reference: date | None, precision: Precision = "day",
            writing: date | None = None) -> DateValue | None:
    """Resolve a parsed expression against a reference date; None when it needs one and has none, or when
    the date it denotes is not a calendar date at all (before year 1 or after 9999)."""
    try:
        value = _resolve(spec, reference, precision, writing)
        if value is not None and spec.shift_days and value.precision == "day":
            return DateValue(value.value + timedelta(days=spec.shift_days), "day")
        return value
    except (OverflowError, ValueError):
        return None


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def resolve_from(spec: DateSpec, anchor: DateValue) -> DateValue | None:
    """An expression counted from the story's own time ("the next morning", "later that year", "the following
    week") resolved against `anchor`, the date the text last stated. An anchor coarser than the expression's
    unit gives its own period ("that day" after "in January" is January)."""
    unit = spec.unit or "day"
    try:
        if _PRECISION_RANK[anchor.precision] > _PRECISION_RANK[unit]:
            return anchor
        if unit == "day":
            return DateValue(anchor.value + timedelta(days=spec.offset), "day")
        if unit == "week":
            day = anchor.value + timedelta(weeks=spec.offset)
            return DateValue(day - timedelta(days=day.weekday()), "week")
        if unit == "month":
            return DateValue(_shift_months(anchor.value, spec.offset), "month")
        return DateValue(date(anchor.value.year + spec.offset, 1, 1), "year")
    except (OverflowError, ValueError):
        return None


def _resolve(spec: DateSpec, reference: date | None, precision: Precision = "day",
             writing: date | None = None) -> DateValue | None:
    """Resolve a parsed expression against a reference date; None when it needs one and has none.

    `precision` says how much of the reference is known: with a month-precision reference ("some day in
    November 2025") weekdays stay unresolved and day offsets keep month precision. Period expressions
    ("this month", "earlier this week") are anchored to `writing` (the latest day the text itself
    reports) when given: a text re-posted days later still means the month it was written in.
    """
    if spec.kind == "year" and spec.year:
        return DateValue(date(spec.year, 1, 1), "year")
    if spec.holiday in HOLIDAYS:
        if spec.year is None and reference is None:
            return None
        if spec.year is not None:
            return _holiday_value(holiday_day(spec.holiday, spec.year), spec)
        assert reference is not None
        days = [holiday_day(spec.holiday, y) for y in (reference.year - 1, reference.year, reference.year + 1)]
        if spec.offset:  # "last Thanksgiving" is the one before the reference, "next Christmas" the one after
            return _holiday_value(max(d for d in days if d < reference) if spec.offset < 0
                                  else min(d for d in days if d > reference), spec)
        year = _year_for(days[1].month, days[1].day, reference, spec.direction)
        return _holiday_value(holiday_day(spec.holiday, year), spec)
    if spec.kind == "absolute" and spec.month:
        year = spec.year
        if year is None:
            if reference is None:
                return None
            if spec.unit == "year":  # "February this year", "April next year"
                return DateValue(date(reference.year + spec.offset, spec.month, 1), "month")
            year = reference.year if precision == "year" else _year_for(spec.month, spec.day, reference,
                                                                          spec.direction)
        if spec.day:
            if not _valid(year, spec.month, spec.day):
                return None
            day = date(year, spec.month, spec.day)
            if spec.unit == "week":  # "the week of March 6"
                return DateValue(day - timedelta(days=day.weekday()), "week")
            return DateValue(day, "day")
        return DateValue(date(year, spec.month, 1), "month")
    if reference is None or precision == "year" or spec.relative_to_event:
        return None
    if spec.kind == "weekday" and spec.weekday is not None:
        if precision != "day":
            return None
        if spec.direction == "future":
            day = reference + timedelta(days=(spec.weekday - reference.weekday()) % 7)
        else:
            day = reference - timedelta(days=(reference.weekday() - spec.weekday) % 7)
        if spec.unit == "week":  # "over the weekend": the week of that Saturday
            return DateValue(day - timedelta(days=day.weekday()), "week")
        return DateValue(day, "day")
    if spec.kind == "relative":
        anchor = writing or reference
        if spec.unit == "day":
            if precision != "day":
                return DateValue(reference.replace(day=1), "month") if abs(spec.offset) <= 1 else None
            return DateValue(reference + timedelta(days=spec.offset), "day")
        if spec.unit == "month":
            return DateValue(_shift_months(anchor, spec.offset), "month")
        if spec.unit == "year":
            return DateValue(date(anchor.year + spec.offset, 1, 1), "year")
        if spec.unit == "week":
            if precision != "day":
                return DateValue(anchor.replace(day=1), "month") if spec.offset == 0 else \
                    DateValue(date(anchor.year, 1, 1), "year")
            # "last week", "earlier this week", "next week": that Monday-to-Sunday week, dated by its Monday
            anchor += timedelta(days=spec.shift_days or 0)
            return DateValue(anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=spec.offset), "week")
    return None


def _holiday_value(day: date, spec: DateSpec) -> DateValue:
    """The named day, or its Monday-to-Sunday week ("Easter week")."""
    return DateValue(day - timedelta(days=day.weekday()), "week") if spec.unit == "week" else DateValue(day, "day")


def _year_for(month: int, day: int | None, reference: date, direction: Direction | None) -> int:
    """Year of a year-less date. In a future clause, the nearest occurrence ahead. Otherwise the nearest one
    behind, unless one ahead is nearer by more than `_AGAINST_TENSE_DAYS`: a writer names a date ten months
    back with its year, so "testify on Feb. 10" in January is next month even in a past-tense report.
    A month without a day keeps the nearest one behind."""
    candidates = [date(year, month, min(day or 1, calendar.monthrange(year, month)[1]))
                  for year in (reference.year - 1, reference.year, reference.year + 1)]
    slack = timedelta(days=31)
    if direction == "future":
        ahead = [c for c in candidates if c >= reference - slack]
        return min(ahead, key=lambda c: abs((c - reference).days)).year
    if day is None:  # a month alone ("In January, ...") is as often told far back: the nearest one behind
        return max(c for c in candidates if c <= reference + slack).year

    def cost(candidate: date) -> int:
        return abs((candidate - reference).days) + (0 if candidate <= reference + slack else _AGAINST_TENSE_DAYS)

    return min(candidates, key=cost).year


# --- publication date lines -------------------------------------------------------------------------

_NUMERIC_LINE = re.compile(r"^(?P<a>\d{1,2})\s?(?P<sep>[./-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<y>\d{4}|\d{2})$")
_ISO_LINE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ][\d:.+Z-]*)?$")
_DATE_LINE_PREFIX = re.compile(
    r"^(?:published|posted|updated|last updated|date|first published|dated)?\s*(?:on|:)?\s*", re.IGNORECASE)
# A clock time, also as rebuilt from tokens ("8: 13am PDT", "22. 34 BST").
_TIME = r"\d{1,2}(?:\s?[:.]\s?\d{2}){1,2}\s*(?:[ap]\.?\s?m\.?)?\s*(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*)?"
_TIME_SUFFIX = re.compile(r"(?:\s*(?:at|,|\||-|—|@)?\s*" + _TIME + r")$", re.IGNORECASE)
_TIME_PREFIX = re.compile(r"^" + _TIME + r"\s+(?=[A-Za-z])", re.IGNORECASE)
_PLACE_BEFORE_DATE = re.compile(r"[A-Z][A-Z.'\- ]{1,30},\s*(?:[A-Z][A-Za-z.]{1,14},\s*)?")
_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?,?\s+",
                             re.IGNORECASE)


@dataclass(frozen=True)
class DateLine:
    text: str
    # one, or two for ambiguous day/month numerals (day-first first); none when the line writes a date no
    # calendar has ("30 February 2024", "2024-13-01"): a date line still, whose date is refused
    candidates: tuple[date, ...]


def parse_date_line(line: str) -> DateLine | None:
    """A line that is only a date (optionally 'Published:', a weekday, a clock time, or a press-release place before
    it), e.g. `3.11.2025`, `Wed May 5, 2010 7: 12pm BST`, `GENEVA, May 4, 2021`."""
    raw = line.strip()
    if len(raw) > 80:
        return None
    text = _TIME_PREFIX.sub("", _DATE_LINE_PREFIX.sub("", raw, count=1).strip(" ,|-—"))
    text = _TIME_SUFFIX.sub("", _WEEKDAY_PREFIX.sub("", text)).strip(" ,|-—@")
    if m := _ISO_LINE.match(text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if _valid(y, mo, d):
            return DateLine(raw, (date(y, mo, d),))
        return DateLine(raw, ()) if 1 <= mo <= 31 and 1 <= d <= 31 else None
    if m := _NUMERIC_LINE.match(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        y = y + 2000 if y < 100 else y
        options = []
        if _valid(y, b, a):
            options.append(date(y, b, a))  # day-first
        if _valid(y, a, b) and a != b:
            options.append(date(y, a, b))  # month-first
        return DateLine(raw, tuple(options)) if options or (1 <= a <= 31 and 1 <= b <= 31) else None
    mentions = find_dates(text, future_context=False)
    if len(mentions) == 1 and mentions[0].spec.kind == "absolute":
        spec = mentions[0].spec
        before, after = text[:mentions[0].start], text[mentions[0].end:]
        if _PLACE_BEFORE_DATE.fullmatch(before) and not after.strip(" ,.|-—"):
            before = ""  # a press-release dateline: "WASHINGTON, DC, April 28, 2009"
        leftover = (before + after).strip(" ,.|-—")
        if spec.year and spec.month and spec.day and not leftover:
            return DateLine(raw, () if not_a_calendar_day(spec) else (date(spec.year, spec.month, spec.day),))
    return None


# Numeric full dates as pages write them in metadata, links and text: 2024-02-30, 2024/02/30, 30.02.2024, 02/30/2024.
_NUMERIC_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")
_NUMERIC_DMY = re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class ImpossibleDate:
    """A full date written somewhere that no calendar has, as written and as year, month and day numbers
    (the month may be out of range: 2024-13-01)."""

    text: str
    year: int
    month: int
    day: int

    def could_become(self, day: date) -> bool:
        """Is `day` what a lenient parser makes of it? htmldate falls back to the first of the month
        (2024-02-30 -> 2024-02-01) or of the year ("30 February 2024" -> 2024-01-01), or swaps a month over 12
        with the day (2024-13-01 -> 2024-01-13)."""
        if day.year != self.year:
            return False
        return (day.day == 1 and day.month in (1, self.month)) or (day.month, day.day) == (self.day, self.month)


def impossible_dates(text: str) -> list[ImpossibleDate]:
    """Full dates `text` writes that are no calendar day: numeric (year first, or day and month first in either
    order) with a month and day of 1 to 31, or with a month name ("30 February 2024", "April 31, 2024")."""
    found = []
    for m in _NUMERIC_YMD.finditer(text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if 1 <= mo <= 31 and 1 <= d <= 31 and not _valid(y, mo, d):
            found.append(ImpossibleDate(m.group(0), y, mo, d))
    for m in _NUMERIC_DMY.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if 1 <= a <= 31 and 1 <= b <= 31 and not _valid(y, b, a) and not _valid(y, a, b):
            month, day = (a, b) if a <= 12 else (b, a)
            found.append(ImpossibleDate(m.group(0), y, month, day))
    if any(month in text.lower() for month in MONTHS):
        found += [ImpossibleDate(m.text, m.spec.year, m.spec.month, m.spec.day)  # type: ignore[arg-type]
                  for m in find_dates(text, future_context=False) if not_a_calendar_day(m.spec)]
    return found


def _order_support(candidate: date, text: str) -> float:
    """How well the month names and weekday+date pairs of `text` fit `candidate` (see `choose_date`)."""
    score = 0.0
    for mention in find_dates(text, future_context=False):
        spec = mention.spec
        if spec.kind != "absolute" or not spec.month:
            continue
        year = spec.year or candidate.year
        months_before = (candidate.year * 12 + candidate.month) - (year * 12 + spec.month)
        if 0 <= months_before <= 2:
            score += 1.0 - months_before / 3  # the nearer the better
        elif months_before < 0 or months_before > 6:
            score -= 0.5
        if spec.day and spec.weekday is not None and spec.year and _valid(spec.year, spec.month, spec.day):
            score += 1.0 if date(spec.year, spec.month, spec.day).weekday() == spec.weekday else -1.0
    return score


def choose_date(line: DateLine, text: str) -> date:
    """Pick day/month order of an ambiguous numeric date using evidence in the article text (`line` has a
    candidate: a line without one states no calendar date).

    News mostly reports the recent past: a candidate is supported by month names the text mentions in
    the weeks before it and by weekday+date pairs that agree with it; it is contradicted by month names
    far after it. Ties go to day-first (the order used in most of the world).
    """
    if len(line.candidates) == 1:
        return line.candidates[0]

    if (order := numeric_order(text, line.text)) is not None:  # another date on the page shows the convention
        return line.candidates[0 if order == "day_first" else 1]
    return max(line.candidates, key=lambda c: (_order_support(c, text), c == line.candidates[0]))


# A numeric date as pages write it, also token-spaced ("12 / 25 / 2013").
_SPACED_DMY = re.compile(r"(?<![\d.])(?P<a>\d{1,2})\s?(?P<sep>[-/.])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?:19|20)\d\d(?!\d)")


def numeric_order(text: str, skip: str = "") -> Literal["day_first", "month_first"] | None:
    """The day/month order the page's other numeric dates prove: one with a first number over 12 is day-first
    (25/12/2013), one with a second number over 12 month-first (12/25/2013); None when none proves either
    or they disagree."""
    orders = set()
    for m in _SPACED_DMY.finditer(text.replace(skip, " ") if skip else text):
        a, b = int(m["a"]), int(m["b"])
        if 12 < a <= 31 and b <= 12:
            orders.add("day_first")
        elif 12 < b <= 31 and a <= 12:
            orders.add("month_first")
    return orders.pop() if len(orders) == 1 else None  # type: ignore[return-value]


def ambiguous_order(line: DateLine, text: str) -> bool:
    """A numeric date line both orders fit, with nothing on the page to choose between them: its reading is a
    guess, to be recorded."""
    if len(line.candidates) < 2 or numeric_order(text, line.text) is not None:
        return False
    return len({_order_support(c, text) for c in line.candidates}) == 1


def latest_full_date(specs: Iterable[DateSpec], window: DateWindow | None = None) -> date | None:
    """Latest full calendar date (day, month and year) among parsed expressions; with a window, only dates
    that could be a publication date count."""
    values = [date(s.year, s.month, s.day) for s in specs
              if s.kind == "absolute" and s.year and s.month and s.day and _valid(s.year, s.month, s.day)]
    values = [v for v in values if window is None or window.published_ok(v)]
    return max(values) if values else None


def reference_from_text(text: str) -> date | None:
    """Latest full calendar date (with a year) the text states: a stand-in for a missing publication date."""
    return latest_full_date(m.spec for m in find_dates(text, future_context=False))

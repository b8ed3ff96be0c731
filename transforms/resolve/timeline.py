"""When things happened: each article's reference date, resolved date expressions, and events.

Runs over the whole corpus because an article without a publication date borrows its year, and
sometimes its day, from other articles of the same story ("on Thursday" in a text with no date is the
Thursday the other outlets date). Every inferred reference is recorded with where it came from, and
nothing is ever filled in from the clock.

Pure functions over small records; `transforms.resolve.corpus` turns frames into records and back.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from contract.window import DateWindow
from transforms.dates import (DateSpec, DateValue, Precision, latest_full_date, not_a_calendar_day, resolve,
                              resolve_from)

SOURCE_WEIGHT = {"published": 2.0, "text": 1.0, "story": 0.5}
DONE_TENSES = {"past", "pluperfect", "perfect"}  # a mention in these tenses reports something already done
PLANNED_YEARS_AHEAD = 1  # a year this far past an inferred reference may be a plan; further, the text outlived it
WRITING_WINDOW_DAYS = 6  # a text re-posted up to a week after it was written
_YEAR_AS_POINT = re.compile(r"(?:in\s+)?\d{4}$", re.IGNORECASE)  # "in 1987", "the 1987 election": not "since 1987"


@dataclass(frozen=True)
class Expression:
    """One date expression of an article, as stored in `temporal_expressions`."""

    expression_id: str
    article_id: str
    start: int
    end: int
    text: str
    spec: DateSpec


@dataclass(frozen=True)
class Reference:
    day: date | None
    precision: Precision = "day"
    source: str | None = None  # published | text | story
    writing: date | None = None  # latest day the text reports; anchors "this month"
    window: DateWindow | None = None  # the plausible dates; None: any
    published: date | None = None  # the article's (plausible) publication date, which the window reaches from

    def resolve(self, spec: DateSpec, anchor: DateValue | None = None) -> DateValue | None:
        """The date `spec` denotes, unless it falls outside the plausible window; an expression counted from the
        story's own time resolves against `anchor` (`narrative_anchors`) and stays unresolved without one."""
        value = self._value(spec, anchor)
        return value if value is None or self.plausible(value) else None

    def implausible(self, spec: DateSpec, anchor: DateValue | None = None) -> bool:
        """`spec` denotes a date outside the window ("in 9999", a "2099" typo), or writes a day no calendar has
        ("30 February 2024"), which is refused rather than read as another day."""
        if not_a_calendar_day(spec):
            return True
        value = self._value(spec, anchor)
        return value is not None and not self.plausible(value)

    def _value(self, spec: DateSpec, anchor: DateValue | None) -> DateValue | None:
        if spec.narrative and spec.kind == "relative":
            return resolve_from(spec, anchor) if anchor is not None else None
        return resolve(spec, self.day, self.precision, self.writing)

    def plausible(self, value: DateValue) -> bool:
        return self.window is None or self.window.contains(value, self.published)


@dataclass
class ArticleDates:
    article_id: str
    story_id: str | None
    published: date | None
    expressions: list[Expression] = field(default_factory=list)


# --- reference dates ----------------------------------------------------------------------------------

def _writing_date(published: date, expressions: list[Expression]) -> date:
    """The latest day within a week before publication that the text names by weekday ("said Thursday")."""
    days = [v.value for e in expressions
            if e.spec.kind == "weekday" and e.spec.unit is None and e.spec.direction != "future"
            and (v := resolve(e.spec, published)) is not None
            and published - timedelta(days=WRITING_WINDOW_DAYS) <= v.value <= published]
    return max(days, default=published)


def _published(article: ArticleDates, window: DateWindow) -> date | None:
    return article.published if article.published is not None and window.published_ok(article.published) else None


def own_reference(article: ArticleDates, window: DateWindow) -> Reference | None:
    """From the article alone: its publication date, else the latest full date its text states, either
    only when it is a plausible publication date (an article dated 2099 has no date of its own)."""
    if _published(article, window) is not None:
        return Reference(article.published, "day", "published", _writing_date(article.published, article.expressions))
    if (latest := latest_full_date((e.spec for e in article.expressions), window)) is not None:
        return Reference(latest, "day", "text", latest)
    return None


def _story_votes(siblings: list[tuple[ArticleDates, Reference]]) -> tuple[dict[tuple, Counter[int]], Counter[int]]:
    """The year votes of a story's dated articles, counted once per story: by the (month, day) each of their
    dates names, and by their own reference years."""
    by_day: dict[tuple, Counter[int]] = defaultdict(Counter)
    own: Counter[int] = Counter()
    for sibling, ref in siblings:
        weight = SOURCE_WEIGHT[ref.source or "story"]
        for e in sibling.expressions:
            if e.spec.kind == "absolute" and e.spec.day and (value := ref.resolve(e.spec)) is not None:
                by_day[(e.spec.month, e.spec.day)][value.value.year] += weight
        if ref.day is not None:
            own[ref.day.year] += weight
    return by_day, own


def _story_year(article: ArticleDates, votes: tuple[dict[tuple, Counter[int]], Counter[int]]) -> int | None:
    """The year of an undated article from its story's votes (`_story_votes`): first the years its siblings
    give the month and day it names without a year, else their own years."""
    by_day, own = votes
    tally: Counter[int] = Counter()
    for key in {(e.spec.month, e.spec.day) for e in article.expressions
                if e.spec.kind == "absolute" and e.spec.day and not e.spec.year}:
        tally.update(by_day.get(key, {}))
    tally = tally or own
    return max(tally, key=lambda y: (tally[y], y)) if tally else None


def _month_after(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def story_reference(article: ArticleDates, year: int, story_days: list[date]) -> Reference:
    """Reference of an undated article once its year is known: the month its own dates and "last month"
    point to, and the day when a date of the story falls on a weekday the article names. Where the article
    states a day itself, the reference is a day, never the story's month: the latest day it tells as past
    (it was written on or after it), else the eve of the first day it looks ahead to (on or before it)."""
    as_year = Reference(date(year, 1, 1), "year", "story")
    past, future, past_days, future_days = [], [], [], []
    for e in article.expressions:
        if e.spec.kind == "absolute" and e.spec.month and (value := as_year.resolve(e.spec)) is not None:
            ahead = e.spec.direction == "future"
            (future if ahead else past).append(value.value)
            if e.spec.day:
                (future_days if ahead else past_days).append(value.value)
    says_last_month = any(e.spec.kind == "relative" and e.spec.unit == "month" and e.spec.offset == -1
                          for e in article.expressions)
    if past:
        month = _month_after(max(past), 1 if says_last_month else 0)
    elif future:
        month = _month_after(min(future), 0)
    else:
        return as_year
    weekdays = {e.spec.weekday for e in article.expressions
                if e.spec.kind == "weekday" and e.spec.unit is None and e.spec.direction != "future"}
    lower = max(past, default=month)
    days = sorted(d for d in story_days if d.year == month.year and d.month == month.month and d >= lower
                  and d.weekday() in weekdays)
    if days:
        return Reference(days[-1], "day", "story", days[-1])
    if past_days and not says_last_month:
        return Reference(max(past_days), "day", "story", max(past_days))
    if future_days and not past:
        eve = min(future_days) - timedelta(days=1)
        return Reference(eve, "day", "story", eve)
    return Reference(month, "month", "story", month)


def _story_days(story: list[ArticleDates], refs: dict[str, Reference], years: dict[str, int]) -> list[date]:
    """The days a story's articles state in full (month and day), each read with its article's own
    reference, or its story year."""
    days: list[date] = []
    for sibling in story:
        ref = refs.get(sibling.article_id) or (Reference(date(years[sibling.article_id], 1, 1), "year", "story")
                                               if sibling.article_id in years else None)
        if ref is not None:
            days += [v.value for e in sibling.expressions if e.spec.kind == "absolute"
                     and (v := ref.resolve(e.spec)) is not None and v.precision == "day"]
    return days


def infer_references(articles: list[ArticleDates], window: DateWindow) -> dict[str, Reference]:
    """Reference date of every article: own evidence first, then the story's (recorded as `story`): the
    year its siblings agree on. Only plausible dates take part, so one outlier cannot move a story.
    Each reference carries the window of plausible dates around it."""
    refs: dict[str, Reference] = {}
    for article in articles:
        if (ref := own_reference(article, window)) is not None:
            refs[article.article_id] = replace(ref, window=window, published=_published(article, window))
    by_story: dict[str | None, list[ArticleDates]] = defaultdict(list)
    for article in articles:
        by_story[article.story_id].append(article)
    pending = [a for a in articles if a.article_id not in refs and a.story_id is not None]
    # Each story's evidence is gathered once (not once per undated article: that grew with the square of a
    # story's size), from what its articles show themselves, so the order of articles cannot change it.
    own = dict(refs)  # what the articles show themselves; story references are added to `refs` below
    votes = {story: _story_votes([(s, own[s.article_id]) for s in by_story[story] if s.article_id in own])
             for story in {a.story_id for a in pending}}
    years: dict[str, int] = {}
    for article in pending:
        if (year := _story_year(article, votes[article.story_id])) is not None:
            years[article.article_id] = year
    story_days: dict[str | None, list[date]] = {}
    for article in pending:
        if article.article_id not in years:
            continue
        if article.story_id not in story_days:
            story_days[article.story_id] = _story_days(by_story[article.story_id], own, years)
        ref = story_reference(article, years[article.article_id], story_days[article.story_id])
        refs[article.article_id] = replace(ref, window=window, published=_published(article, window))
    return refs


# --- the story's own time -----------------------------------------------------------------------------

def narrative_anchors(expressions: list[Expression], ref: Reference) -> dict[str, DateValue]:
    """For each expression counted from the story's own time ("the next morning", "later that year", "a week
    after the anniversary"), the date the text last stated before it, as TimeML's narrative documents are
    read: a story told in order moves its own time along, and the article's date is only where it starts.
    A bare year sets it only as a point ("in 1987"), never as a bound or range ("since 1993", "between 1982");
    the anchored ones do, as the story moves on with them."""
    anchors: dict[str, DateValue] = {}
    current: DateValue | None = None
    for e in sorted(expressions, key=lambda e: e.start):
        if e.spec.narrative and e.spec.kind == "relative" and current is not None:
            anchors[e.expression_id] = current
        point = e.spec.kind != "year" or _YEAR_AS_POINT.match(e.text) is not None
        if point and (value := ref.resolve(e.spec, anchors.get(e.expression_id))) is not None:
            current = value
    return anchors


# --- events within one article ------------------------------------------------------------------------

@dataclass
class Mention:
    """An event mention as stored in `event_mentions`, plus its resolved date."""

    mention_id: str
    article_id: str
    event_type: str
    trigger: str
    start: int
    end: int
    trigger_start: int
    paragraph_no: int
    status: str
    modality: str
    tense: str
    background: bool
    anaphoric: bool
    date_expression_id: str | None
    date_via: str | None
    value: DateValue | None = None
    basis: str | None = None  # stated | reported | inherited | reference | on_or_before | implausible (no value)


def date_mentions(mentions: list[Mention], expressions: dict[str, Expression], ref: Reference | None,
                  anchors: dict[str, DateValue] | None = None) -> list[Mention]:
    """Each event mention with its own date resolved (`anchors`: see `narrative_anchors`); progressive present
    ("are holding talks") is the reference day."""
    dated = []
    for m in mentions:
        expression = expressions.get(m.date_expression_id or "")
        if expression is not None and ref is not None:
            anchor = (anchors or {}).get(expression.expression_id)
            value = ref.resolve(expression.spec, anchor)
            basis = ("stated" if m.date_via == "own" else "reported") if value else (
                "implausible" if ref.implausible(expression.spec, anchor) else None)
            m = replace(m, value=value, basis=basis)
        elif m.tense == "progressive" and m.modality == "happened" and m.event_type != "statement" \
                and ref is not None and ref.day is not None and ref.precision != "year":
            m = replace(m, value=DateValue(ref.day, ref.precision), basis="reference")
        dated.append(m)
    return dated


def inherit_dates(mentions: list[Mention]) -> list[Mention]:
    """An undated past event takes the date of the nearest dated event before it in its own or the previous
    paragraph ("Clashes erupted on Oct. 9. Dozens were killed."). Year-only dates are too coarse to pass on,
    and a flashback ("had agreed to a ceasefire on Oct. 19") does not set the time of what follows.
    Returns copies of the mentions, in their order."""
    mentions = [replace(m) for m in mentions]
    ordered = sorted(mentions, key=lambda m: m.trigger_start)
    for i, m in enumerate(ordered):
        if m.value is not None or m.basis == "implausible" or m.status != "event" \
                or m.tense not in {"past", "pluperfect"} or m.background \
                or m.anaphoric or m.event_type == "statement":
            continue
        for earlier in reversed(ordered[:i]):
            if earlier.paragraph_no < m.paragraph_no - 1:
                break
            flashback = earlier.tense == "pluperfect" and earlier.basis != "reported"
            if earlier.status == "event" and earlier.event_type != "statement" and earlier.value is not None \
                    and earlier.value.precision != "year" and not flashback:
                m.value, m.basis = earlier.value, "inherited"
                break
    return mentions


def _at_or_after(value: DateValue, ref: Reference | None) -> bool:
    if ref is None or ref.day is None:
        return False
    if value.precision == "day":
        return value.value >= ref.day
    if value.precision == "week":
        return value.value + timedelta(days=6) >= ref.day
    if value.precision == "month":
        return (value.value.year, value.value.month) >= (ref.day.year, ref.day.month)
    return value.value.year >= ref.day.year


def group_mentions(mentions: list[Mention], ref: Reference | None) -> tuple[list[Mention], list[list[Mention]]]:
    """Mentions of the same event within one article, folded together: (copies of the mentions, undated
    re-mentions marked `repeat`; the groups).

    Dated mentions group by type and date. An undated one joins, in order: a dated one of its type in the
    same sentence; for a mention not in the past tense, the only (firmly) dated event of its type; for a
    completed (past) mention, the latest past one; for a future or present one, the event under way at the
    reference date; else one undated event per type for completed mentions and one for the rest (planned or under
    way: "are expected to resume talks" and "the new round of talks is organized" are one event). Undated
    re-mentions ("this series of clashes", "despite the ceasefire") add nothing and are dropped.
    """
    mentions = [replace(m) for m in mentions]
    events = [m for m in mentions if m.status == "event" and m.event_type != "statement"]
    groups: dict[tuple, list[Mention]] = {}
    for m in sorted(events, key=lambda m: m.trigger_start):
        if m.value is not None:
            groups.setdefault((m.event_type, m.value.value, m.value.precision), []).append(m)
    for m in sorted(events, key=lambda m: m.trigger_start):
        if m.value is not None:
            continue
        if m.anaphoric or m.background:
            m.status = "repeat"
            continue
        if m.basis == "implausible":  # dated by its own words, if implausibly: not folded into another event
            groups.setdefault((m.event_type, None, "implausible"), []).append(m)
            continue
        dated = [k for k in groups if k[0] == m.event_type and k[1] is not None]
        # Only events dated by their own words (or their report) can absorb undated mentions; one that merely
        # inherited a date from its passage is not a firm enough anchor.
        firm = [k for k in dated if any(o.basis in {"stated", "reported"} for o in groups[k])]
        same_sentence = [k for k in dated if any(o.start == m.start for o in groups[k])]
        current = sorted((k for k in firm if _at_or_after(DateValue(k[1], k[2]), ref)), key=lambda k: k[1])
        past = sorted((k for k in firm if not _at_or_after(DateValue(k[1], k[2]), ref)), key=lambda k: k[1])
        completed = m.modality == "happened" and m.tense in {"past", "pluperfect"}
        ongoing = m.modality == "planned" or m.tense in {"present", "progressive", "perfect"}
        if same_sentence:
            key = same_sentence[0]
        elif m.modality == "happened" and not completed and len(dated) == 1 and dated == firm:
            key = dated[0]
        elif completed and past:
            key = past[-1]
        elif ongoing and current:
            key = current[0]
        else:  # completed ones apart; an announced event and its present-tense re-mentions are one
            key = (m.event_type, None, "completed" if completed else "open")
        groups.setdefault(key, []).append(m)
    statements = [[m] for m in mentions if m.status == "event" and m.event_type == "statement"]
    return mentions, list(groups.values()) + statements


def group_modality(group: list[Mention]) -> str:
    """`planned` when a mention announces it and none reports it done (past or perfect), else `happened`."""
    done = any(m.modality == "happened" and m.tense in {"past", "pluperfect", "perfect"} for m in group)
    return "planned" if any(m.modality == "planned" for m in group) and not done else "happened"


def representative(group: list[Mention]) -> Mention:
    """The mention that states the event best: dated by its own words, in the foreground, first."""
    return min(group, key=lambda m: (m.basis not in {"stated", "reported"}, m.background, m.anaphoric,
                                     m.trigger_start))


def event_value(group: list[Mention]) -> tuple[DateValue | None, str | None]:
    """The event's date and how it was found; an event whose only date is implausible stays undated, with
    basis `implausible` (its date text is kept)."""
    dated = [m for m in group if m.value is not None]
    if not dated:
        return None, "implausible" if any(m.basis == "implausible" for m in group) else None
    best = representative(dated)
    return best.value, best.basis


def _done(m: Mention) -> bool:
    """The text reports it done: told in a past or perfect tense, or a statement in any tense but the future (what
    "X says" reports was said by the time it was printed)."""
    if m.status != "event" or m.modality != "happened":
        return False
    return m.tense in DONE_TENSES or (m.event_type == "statement" and m.tense != "future")


def bounds_the_article(ref: Reference | None, expressions: list[Expression]) -> bool:
    """Whether the reference date is a day the article was written on or after its events: a publication date
    always is; an inferred one (the latest full date of the text, or the story's) not when the text names a
    year of its own well past it ("born on 22 April 1923 ... in 1955 she posed"): the text then reaches past it,
    and the inferred date is no bound for what it reports. The next year is allowed: plans ("the sequel is due
    in early 2010") name it."""
    if ref is None or ref.day is None:
        return False
    if ref.source == "published":
        return True
    return not any(e.spec.year is not None and e.spec.year > ref.day.year + PLANNED_YEARS_AHEAD for e in expressions)


def upper_bound(group: list[Mention], ref: Reference | None) -> tuple[DateValue | None, str | None]:
    """An undated event the text reports as done took place on or before its article's reference date: that
    date is its upper bound (basis `on_or_before`; as precise as the reference: "≤ 2008" when only the story's
    year is known), so a timeline can place it. Planned, negated and hypothetical events never get it, nor
    does one whose only stated date was implausible. The caller passes no reference where
    `bounds_the_article` says it bounds nothing."""
    if ref is None or ref.day is None or group_modality(group) != "happened":
        return None, None
    if any(m.basis == "implausible" for m in group) or not any(_done(m) for m in group):
        return None, None
    return DateValue(ref.day, ref.precision), "on_or_before"

"""Story events: the same real event reported by several articles of a story becomes one row, and where the
reports disagree (year, count, place) a `conflicts` row says who claims what.

Reports are matched by type and date. Two day-precise dates with the same month and day but different
years are taken as one event misdated by a source: within one story (days or weeks of news) an event
of the same type on the same calendar day is not a different event. A month- or year-precise report
joins the single day-precise event of that period (a week-precise one: of that Monday-to-Sunday week). An undated
one joins the only event of its type, else the one its article's time points to (see `_fold_target`), else the one
undated event of its type and modality: no undated duplicates next to the dated event they re-mention. A report
dated only `on_or_before` its article counts as undated here (an upper bound is no date to match or dispute); a
story event no report dates takes the earliest such bound, with that basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from transforms.article import stable_id

MAX_YEAR_SLIP = 5  # years apart that still count as one misdated event rather than two events
NOT_STORY_EVENTS = {"statement"}


@dataclass(frozen=True)
class Report:
    """One per-article event, as `events` stores it, with its article's story and source."""

    event_id: str
    article_id: str
    story_id: str
    source: str
    event_type: str
    event_date: date | None
    precision: str | None
    order: int  # position of the article in the corpus (earliest published first)
    attributes: tuple[tuple[str, int], ...] = ()
    location: str | None = None
    evidence: str = ""
    places_named: frozenset[str] = frozenset()  # every place entity the article names anywhere
    modality: str = "happened"
    reference: date | None = None  # the article's own time (writing date, else reference date)
    basis: str | None = None  # `events.date_basis` of a dated report
    bound: date | None = None  # an `on_or_before` report's upper bound (its `event_date` is then None)
    bound_precision: str | None = None


@dataclass
class StoryEvent:
    story_id: str
    event_type: str
    key: str
    reports: list[Report] = field(default_factory=list)

    @property
    def story_event_id(self) -> str:
        return stable_id(self.story_id, self.event_type, self.key)


@dataclass(frozen=True)
class Conflict:
    story_event_id: str
    story_id: str
    attribute: str
    kind: str
    value_a: str
    report_a: Report
    value_b: str
    report_b: Report

    @property
    def conflict_id(self) -> str:
        return stable_id(self.story_event_id, self.attribute, self.report_a.event_id, self.report_b.event_id)


def _majority(values: list[tuple[object, Report]]) -> object:
    """The value most distinct sources give; ties go to the earliest article."""
    sources: dict[object, set[str]] = {}
    first: dict[object, int] = {}
    for value, report in values:
        sources.setdefault(value, set()).add(report.source)
        first[value] = min(first.get(value, report.order), report.order)
    return min(sources, key=lambda v: (-len(sources[v]), first[v]))


def _period(r: Report) -> str:
    """Cluster key of a period-precise report: `2025-10` (month), `2025` (year), `2025-W10-27` (a week by its Monday)."""
    iso = r.event_date.isoformat()
    return {"month": iso[:7], "year": iso[:4], "week": iso[:4] + "-W" + iso[5:]}.get(r.precision or "", iso)


def _cluster_type(story_id: str, event_type: str, reports: list[Report]) -> list[StoryEvent]:
    days: dict[tuple[int, int], list[Report]] = {}
    for r in reports:
        if r.precision == "day" and r.event_date:
            days.setdefault((r.event_date.month, r.event_date.day), []).append(r)
    clusters: list[StoryEvent] = []
    for (month, day), members in sorted(days.items()):
        years = sorted({r.event_date.year for r in members})
        if years[-1] - years[0] <= MAX_YEAR_SLIP:
            groups = [members]
        else:
            groups = [[r for r in members if r.event_date.year == y] for y in years]
        for group in groups:
            year = _majority([(r.event_date.year, r) for r in group])
            clusters.append(StoryEvent(story_id, event_type, date(year, month, day).isoformat(), list(group)))

    def within(cluster: StoryEvent, r: Report) -> bool:
        if r.precision == "week":
            if len(cluster.key) != 10 or not cluster.key[5:6].isdigit():
                return False  # only a day-precise cluster lies inside a week
            return r.event_date <= date.fromisoformat(cluster.key) <= r.event_date + timedelta(days=6)
        return cluster.key.startswith(_period(r))

    for precision in ("week", "month", "year"):
        for r in sorted((r for r in reports if r.precision == precision and r.event_date), key=lambda r: r.order):
            period = _period(r)
            matching = [c for c in clusters if within(c, r)]
            if len(matching) == 1:
                matching[0].reports.append(r)
            else:
                existing = next((c for c in clusters if c.key == period), None)
                if existing is None:
                    clusters.append(existing := StoryEvent(story_id, event_type, period))
                existing.reports.append(r)
    dated = sorted(((_start(c.key), c) for c in clusters), key=lambda sc: sc[0])
    for r in sorted((r for r in reports if not r.event_date), key=lambda r: r.order):
        if len(dated) == 1:
            target = dated[0][1]
        elif (target := _fold_target(r, dated)) is None:
            key = "undated:" + r.modality
            target = next((c for c in clusters if c.key == key), None)
            if target is None:
                clusters.append(target := StoryEvent(story_id, event_type, key))
        target.reports.append(r)
    return clusters


def _start(key: str) -> date:
    """First day of a dated cluster key: `2025-10-19`, `2025-W10-27` (week of that Monday), `2025-10`, `2025`."""
    if "-W" in key:
        key = key.replace("-W", "-")
    return date.fromisoformat(key if len(key) == 10 else key + "-01" if len(key) == 7 else key + "-01-01")


def _fold_target(r: Report, dated: list[tuple[date, StoryEvent]]) -> StoryEvent | None:
    """The dated story event an undated report re-mentions, from its article's own time: a planned one is
    the first event of its type from then on ("talks are expected to resume" -> the round that followed), one
    that happened the last one up to then. None when the article's time is unknown or nothing fits."""
    if r.reference is None:
        return None
    if r.modality == "planned":
        return next((c for start, c in dated if start >= r.reference), None)
    before = [c for start, c in dated if start <= r.reference]
    return before[-1] if before else None


def cluster_reports(reports: list[Report]) -> list[StoryEvent]:
    """Story events of every story, from the per-article events."""
    grouped: dict[tuple[str, str], list[Report]] = {}
    for r in reports:
        if r.event_type not in NOT_STORY_EVENTS:
            grouped.setdefault((r.story_id, r.event_type), []).append(r)
    return [c for (story_id, event_type), members in sorted(grouped.items())
            for c in _cluster_type(story_id, event_type, members)]


def _pairs(story_event: StoryEvent, attribute: str, kind: str, values: list[tuple[object, Report]]) -> list[Conflict]:
    """One conflict per article that contradicts the majority value."""
    if len({v for v, _ in values}) < 2:
        return []
    majority = _majority(values)
    report_a = min((r for v, r in values if v == majority), key=lambda r: r.order)
    seen: set[tuple[str, object]] = set()
    conflicts = []
    for value, report in sorted(values, key=lambda vr: vr[1].order):
        if value == majority or (report.article_id, value) in seen:
            continue
        seen.add((report.article_id, value))
        conflicts.append(Conflict(story_event.story_event_id, story_event.story_id, attribute, kind, str(majority),
                                  report_a, str(value), report))
    return conflicts


def find_conflicts(story_event: StoryEvent) -> list[Conflict]:
    """Contradictions among the reports of one story event: dates, stated counts, places."""
    reports = story_event.reports
    conflicts: list[Conflict] = []
    days = [(r.event_date, r) for r in reports if r.precision == "day" and r.event_date]
    if len({d.year for d, _ in days}) > 1:
        conflicts += _pairs(story_event, "event_date", "different_year", days)
    counts: dict[str, list[tuple[object, Report]]] = {}
    for r in reports:
        for name, value in r.attributes:
            counts.setdefault(name, []).append((value, r))
    for name, values in sorted(counts.items()):
        if len({r.article_id for _, r in values}) > 1:
            conflicts += _pairs(story_event, name, "different_count", values)
    places = [(r.location, r) for r in reports if r.location]
    if len({r.article_id for _, r in places}) > 1:
        # A place is only contradicted by a source that never names it: "Istanbul" and "Turkey" in one
        # article, or a sentence naming two places, is a difference of detail, not a dispute.
        named = {p for _, r in places for p in r.places_named}
        disputed = [(p, r) for p, r in places
                    if not any(other != p and other in r.places_named for other, _ in places)]
        if len({p for p, _ in disputed}) > 1 and named:
            conflicts += _pairs(story_event, "location", "different_place", disputed)
    return conflicts


def story_event_row(story_event: StoryEvent, disputed: bool) -> dict:
    reports = story_event.reports
    dated = [r for r in reports if r.event_date]
    best_precision = min((r.precision for r in dated), key=["day", "week", "month", "year"].index, default=None)
    precise = [r for r in dated if r.precision == best_precision]
    event_date = _majority([(r.event_date, r) for r in precise]) if precise else None
    main = min(reports, key=lambda r: (r.event_date != event_date, r.order))
    basis = main.basis if event_date is not None else None
    if event_date is None and (bounded := [r for r in reports if r.bound is not None]):
        tightest = min(bounded, key=lambda r: (period_end(r.bound, r.bound_precision), r.order))  # the earliest end
        event_date, best_precision, basis = tightest.bound, tightest.bound_precision, "on_or_before"
    return {
        "story_event_id": story_event.story_event_id, "story_id": story_event.story_id,
        "event_type": story_event.event_type, "event_date": event_date, "date_precision": best_precision,
        "date_basis": basis,
        "article_count": len({r.article_id for r in reports}), "source_count": len({r.source for r in reports}),
        "event_count": len(reports), "disputed": disputed, "event_id": main.event_id, "evidence": main.evidence,
        "modality": "happened" if any(r.modality == "happened" for r in reports) else "planned",
    }


def period_end(first: date, precision: str | None) -> date:
    """Last day of a dated period: a bound "≤ 2008" ends later than "≤ 12 Dec 2008"."""
    if precision == "year":
        return date(first.year, 12, 31)
    if precision == "month":
        return date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
    return first + timedelta(days=6) if precision == "week" else first


def conflict_row(conflict: Conflict) -> dict:
    return {
        "conflict_id": conflict.conflict_id, "story_id": conflict.story_id,
        "story_event_id": conflict.story_event_id, "attribute": conflict.attribute, "kind": conflict.kind,
        "value_a": conflict.value_a, "article_a": conflict.report_a.article_id, "event_a": conflict.report_a.event_id,
        "value_b": conflict.value_b, "article_b": conflict.report_b.article_id, "event_b": conflict.report_b.event_id,
    }


def story_event_tables(reports: list[Report]) -> tuple[list[dict], list[dict], dict[str, str]]:
    """(story_events rows, conflicts rows, event_id -> story_event_id).

    An article whose year the other sources contradict (a `different_year` conflict) is wrong about the year
    of everything it dates that way: every story event it dates in that year is disputed, not only the one
    where the contradiction showed."""
    clustered = [(story_event, find_conflicts(story_event)) for story_event in cluster_reports(reports)]
    wrong_years = {(c.report_b.article_id, int(c.value_b[:4])) for _, conflicts in clustered for c in conflicts
                   if c.kind == "different_year"}
    events_rows, conflict_rows, links = [], [], {}
    for story_event, conflicts in clustered:
        doubtful = any(r.event_date is not None and (r.article_id, r.event_date.year) in wrong_years
                       for r in story_event.reports)
        events_rows.append(story_event_row(story_event, bool(conflicts) or doubtful))
        conflict_rows += [conflict_row(c) for c in conflicts]
        links.update({r.event_id: story_event.story_event_id for r in story_event.reports})
    return events_rows, conflict_rows, links


def year_disputed_articles(conflict_rows: list[dict]) -> set[str]:
    """Articles whose year other sources of their story contradict."""
    return {c["article_b"] for c in conflict_rows if c["kind"] == "different_year"}

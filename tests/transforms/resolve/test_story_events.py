"""Story events across articles, and the conflicts between their reports (invented reports)."""

from datetime import date

from transforms.resolve.story_events import Report, story_event_tables


def report(event_id, article, source, event_type, when=None, precision="day", order=0, attributes=(),
           location=None, places=()):
    return Report(event_id, article, "story", source, event_type, when, precision if when else None, order,
                  tuple(attributes), location, f"evidence {event_id}", frozenset(places))


def test_one_ceasefire_reported_by_many_with_a_wrong_year():
    reports = [report("e1", "a1", "ap", "ceasefire", date(2025, 10, 19), order=0),
               report("e2", "a2", "reuters", "ceasefire", date(2025, 10, 19), order=1),
               report("e3", "a3", "blog", "ceasefire", date(2023, 10, 19), order=2),
               report("e4", "a4", "tv", "ceasefire", date(2025, 10, 1), "month", order=3),
               report("e5", "a5", "ap", "ceasefire", order=4)]  # undated: the only ceasefire of the story
    events, conflicts, links = story_event_tables(reports)
    [ceasefire] = events
    assert (ceasefire["event_date"], ceasefire["article_count"], ceasefire["source_count"]) == \
        (date(2025, 10, 19), 5, 4)
    assert ceasefire["disputed"] and len(set(links.values())) == 1
    [conflict] = conflicts
    assert (conflict["kind"], conflict["value_a"], conflict["value_b"], conflict["article_b"]) == \
        ("different_year", "2025-10-19", "2023-10-19", "a3")


def test_different_days_are_different_events():
    events, conflicts, _ = story_event_tables([report("e1", "a1", "ap", "killing", date(2025, 10, 9)),
                                               report("e2", "a2", "afp", "killing", date(2025, 10, 12))])
    assert len(events) == 2 and not conflicts and not any(e["disputed"] for e in events)


def test_different_counts_are_conflicts():
    events, conflicts, _ = story_event_tables([
        report("e1", "a1", "ap", "talks", date(2025, 10, 28), order=0, attributes=[("duration_days", 4)]),
        report("e2", "a2", "dw", "talks", date(2025, 10, 1), "month", order=1, attributes=[("duration_days", 5)])])
    [event] = events
    [conflict] = conflicts
    assert event["disputed"] and conflict["attribute"] == "duration_days" and conflict["kind"] == "different_count"
    assert {conflict["value_a"], conflict["value_b"]} == {"4", "5"}


def test_place_is_disputed_only_by_a_source_that_never_names_it():
    detail = [report("e1", "a1", "ap", "clash", date(2025, 5, 2), location="istanbul", places={"istanbul", "turkey"}),
              report("e2", "a2", "dw", "clash", date(2025, 5, 2), location="turkey", places={"turkey"})]
    assert not story_event_tables(detail)[1]
    dispute = [report("e1", "a1", "ap", "clash", date(2025, 5, 2), location="kabul", places={"kabul"}),
               report("e2", "a2", "dw", "clash", date(2025, 5, 2), order=1, location="herat", places={"herat"})]
    [conflict] = story_event_tables(dispute)[1]
    assert conflict["kind"] == "different_place"


def test_week_precise_report_joins_the_day_of_that_week_and_planned_stays_planned():
    reports = [report("e1", "a1", "ap", "talks", date(2024, 3, 6), order=0),               # a Wednesday
               report("e2", "a2", "tv", "talks", date(2024, 3, 4), "week", order=1),       # "earlier this week"
               Report("e3", "a3", "story", "ap", "border_reopening", date(2024, 4, 1), "day", 2, modality="planned")]
    events, _, links = story_event_tables(reports)
    by_type = {e["event_type"]: e for e in events}
    assert links["e1"] == links["e2"] and by_type["talks"]["date_precision"] == "day"
    assert by_type["talks"]["modality"] == "happened" and by_type["border_reopening"]["modality"] == "planned"


def _dated(event_id, article, event_type, when, precision="day", order=0, modality="happened", own_time=None):
    return Report(event_id, article, "story", article, event_type, when, precision if when else None, order,
                  modality=modality, reference=own_time)


def test_undated_re_mentions_fold_into_the_event_their_article_points_to():
    reports = [_dated("r1", "a1", "talks", date(2024, 5, 2), order=0),              # first round
               _dated("r2", "a2", "talks", date(2024, 5, 20), order=1),             # second round
               _dated("u1", "a1", "talks", None, modality="planned", own_time=date(2024, 5, 3)),   # "to resume talks"
               _dated("u2", "a3", "talks", None, own_time=date(2024, 5, 21)),       # "the talks" after round two
               _dated("u3", "a4", "talks", None),                                   # no known time
               _dated("u4", "a5", "talks", None)]
    events, _, links = story_event_tables(reports)
    assert links["u1"] == links["r2"] and links["u2"] == links["r2"]
    assert links["u3"] == links["u4"] and len(events) == 3  # one undated event, not one per report


def test_every_event_an_article_dates_in_a_contradicted_year_is_disputed():
    reports = [_dated("a", "good1", "ceasefire", date(2024, 4, 9), order=0),
               _dated("b", "good2", "ceasefire", date(2024, 4, 9), order=1),
               _dated("c", "bad", "ceasefire", date(2021, 4, 9), order=2),        # the year others contradict
               _dated("d", "bad", "explosion", date(2021, 4, 11), order=2),       # same article, same wrong year
               _dated("e", "good1", "explosion", date(2024, 4, 2), order=0)]
    events, conflicts, _ = story_event_tables(reports)
    disputed = {(e["event_type"], e["event_date"]): e["disputed"] for e in events}
    assert disputed[("explosion", date(2021, 4, 11))] and not disputed[("explosion", date(2024, 4, 2))]
    assert [c["kind"] for c in conflicts] == ["different_year"]


def _bounded(event_id, article, event_type, bound, order=0, precision="day"):
    """A report dated only `on_or_before` its article's date, as `resolve_story_events` builds it."""
    return Report(event_id, article, "story", article, event_type, None, None, order, basis="on_or_before",
                  bound=bound, bound_precision=precision, reference=bound)


def test_a_story_event_no_report_dates_takes_the_earliest_bound():
    events, conflicts, _ = story_event_tables([_bounded("b1", "a1", "clash", date(2024, 3, 5), order=1),
                                               _bounded("b2", "a2", "clash", date(2024, 3, 4), order=0),
                                               _bounded("b3", "a3", "clash", date(2024, 1, 1), 2, "year")])
    [event] = events
    assert (event["event_date"], event["date_precision"], event["date_basis"]) == (date(2024, 3, 4), "day", "on_or_before")
    assert conflicts == []  # bounds are no dates to dispute


def test_a_stated_date_wins_over_bounds_and_is_not_disputed_by_them():
    stated = Report("s1", "a1", "story", "ap", "clash", date(2024, 3, 1), "day", 0, basis="stated")
    events, conflicts, links = story_event_tables([stated, _bounded("b1", "a2", "clash", date(2025, 3, 4), order=1)])
    [event] = events
    assert (event["event_date"], event["date_basis"]) == (date(2024, 3, 1), "stated")
    assert conflicts == [] and links["b1"] == links["s1"] and event["disputed"] is False

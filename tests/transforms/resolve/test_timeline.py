"""Reference dates, inferred from the article and its story, and events folded within one article."""

from dataclasses import replace
from datetime import date

from contract.window import DateWindow
from transforms.dates import DateSpec, DateValue, find_dates
from transforms.resolve.timeline import (ArticleDates, Expression, Mention, Reference, date_mentions, event_value,
                                 group_mentions, narrative_anchors, group_modality, infer_references, inherit_dates, upper_bound,
                                 bounds_the_article)

WINDOW = DateWindow(date(2026, 12, 1))


def article(article_id, text, published=None, story="s1"):
    expressions = [Expression(f"{article_id}-{m.start}", article_id, m.start, m.end, m.text, m.spec)
                   for m in find_dates(text)]
    return ArticleDates(article_id, story, published, expressions)


def test_publication_date_and_writing_date():
    # Published on a Monday; the text says "Thursday": it was written on the Thursday before.
    refs = infer_references([article("a", "The minister said Thursday that talks had collapsed this month.",
                                      published=date(2025, 11, 3))], WINDOW)
    ref = refs["a"]
    assert (ref.day, ref.source, ref.writing) == (date(2025, 11, 3), "published", date(2025, 10, 30))
    [month] = [e for e in article("a", "talks had collapsed this month.").expressions]
    assert ref.resolve(month.spec) == DateValue(date(2025, 10, 1), "month")  # October, not November


def test_reference_from_own_full_dates():
    refs = infer_references([article("a", "The vote of March 3, 2021 was annulled on Friday, March 12, 2021.")], WINDOW)
    assert (refs["a"].day, refs["a"].source) == (date(2021, 3, 12), "text")


def test_missing_publication_date_without_any_evidence_stays_unknown():
    refs = infer_references([article("a", "Talks resumed on Thursday.", story=None)], WINDOW)
    assert "a" not in refs  # never filled in from the clock


def test_year_month_and_day_from_the_story():
    dated = article("a", "The truce agreed on May 4 was signed in Geneva. The new round begins on June 12.",
                    published=date(2024, 5, 20))
    undated = article("b", "Delegates were back in Geneva on Wednesday. Last month's truce of May 4 still holds.")
    refs = infer_references([dated, undated], WINDOW)
    ref = refs["b"]
    # Year from the sibling that dates "May 4"; month from "last month" after May; day from the sibling's
    # June 12, 2024, a Wednesday, the weekday the article names.
    assert (ref.day, ref.precision, ref.source) == (date(2024, 6, 12), "day", "story")


def test_month_precision_reference_when_no_day_is_known():
    dated = article("a", "The ceasefire of Oct. 19 holds.", published=date(2025, 10, 30))
    undated = article("b", "Talks follow last month's clashes and the ceasefire of October 19.")
    ref = infer_references([dated, undated], WINDOW)["b"]
    assert (ref.day, ref.precision) == (date(2025, 11, 1), "month")
    [weekday] = find_dates("It happened on Tuesday.")
    assert ref.resolve(weekday.spec) is None  # a weekday needs a known day
    [yesterday] = find_dates("It happened yesterday.")
    assert ref.resolve(yesterday.spec) == DateValue(date(2025, 11, 1), "month")


def test_a_day_the_article_states_beats_the_story_month():
    dated = article("a", "The ceasefire of Oct. 19 holds.", published=date(2025, 10, 30))
    ahead = article("b", "Envoys will meet again on Nov. 6 after the ceasefire of last month.")
    behind = article("c", "The ceasefire of Oct. 19 broke down on Oct. 27, officials said.")
    refs = infer_references([dated, ahead, behind], WINDOW)
    assert (refs["b"].day, refs["b"].precision) == (date(2025, 11, 5), "day")  # on or before the day ahead
    [last_month] = find_dates("Last month the clashes began.")
    assert refs["b"].resolve(last_month.spec) == DateValue(date(2025, 10, 1), "month")
    assert (refs["c"].day, refs["c"].precision) == (date(2025, 10, 27), "day")  # on or after the last day told


def mention(i, event_type, paragraph, *, value=None, basis=None, tense="past", modality="happened", start=None,
            anaphoric=False, background=False):
    return Mention(f"m{i}", "a", event_type, event_type, start if start is not None else i * 100, i * 100 + 50,
                   i * 100 + 1, paragraph, "event", modality, tense, background, anaphoric, None, None,
                   value=value, basis=basis)


def test_undated_past_event_inherits_from_its_passage():
    oct9 = DateValue(date(2025, 10, 9), "day")
    mentions = [mention(0, "explosion", 0, value=oct9, basis="stated"), mention(1, "killing", 0),
                mention(2, "killing", 3)]
    mentions = inherit_dates(mentions)
    assert mentions[1].value == oct9 and mentions[1].basis == "inherited"
    assert mentions[2].value is None  # three paragraphs later: too far


def test_flashback_does_not_set_the_time():
    old = DateValue(date(2023, 10, 19), "day")
    mentions = [mention(0, "ceasefire", 0, value=old, basis="stated", tense="pluperfect"), mention(1, "clash", 0)]
    mentions = inherit_dates(mentions)
    assert mentions[1].value is None


def test_grouping_within_an_article():
    ref = Reference(date(2025, 10, 30))
    tuesday = DateValue(date(2025, 10, 28), "day")
    month = DateValue(date(2025, 10, 1), "month")
    mentions = [
        mention(0, "talks", 0, tense="none", modality="planned"),          # "expected to resume talks"
        mention(1, "talks", 1, tense="past"),                             # "four days of negotiations concluded"
        mention(2, "talks", 2, value=month, basis="inherited"),           # "hosted emergency talks"
        mention(3, "talks", 2, value=tuesday, basis="stated"),            # "talks ended on Tuesday"
        mention(4, "clash", 2, anaphoric=True),                           # "this series of clashes"
        mention(5, "talks", 3, tense="none", modality="planned"),          # "talks were set to resume"
    ]
    mentions, groups = group_mentions(mentions, ref)
    by_first = {tuple(m.mention_id for m in g) for g in groups}
    assert ("m3", "m1") in by_first  # the completed round joins the latest firmly dated past round
    assert ("m0", "m5") in by_first and ("m2",) in by_first
    assert mentions[4].status == "repeat"


def test_announced_event_and_its_present_re_mention_are_one_planned_event():
    mentions = [
        mention(0, "talks", 0, tense="none", modality="planned"),      # "the unions are expected to resume talks"
        mention(1, "talks", 2, tense="present"),                      # "the new round of talks is hosted by the city"
        mention(2, "talks", 3, tense="past"),                         # "earlier talks collapsed"
    ]
    _, groups = group_mentions(mentions, Reference(date(2024, 6, 3)))
    assert sorted(tuple(m.mention_id for m in g) for g in groups) == [("m0", "m1"), ("m2",)]
    assert [group_modality(g) for g in groups if len(g) == 2] == ["planned"]


def test_the_weekend_is_not_a_writing_day():
    refs = infer_references([article("a", "Two ferries collided over the weekend.", published=date(2024, 3, 10))], WINDOW)
    assert refs["a"].writing == date(2024, 3, 10)  # a Sunday report: still written on the Sunday


def test_dating_and_grouping_leave_their_inputs_as_they_were():
    oct9 = DateValue(date(2025, 10, 9), "day")
    mentions = [mention(0, "explosion", 0, value=oct9, basis="stated"), mention(1, "killing", 0),
                mention(2, "clash", 1, anaphoric=True)]
    before = [replace(m) for m in mentions]
    dated = inherit_dates(mentions)
    marked, _ = group_mentions(dated, Reference(date(2025, 10, 30)))
    assert mentions == before
    assert dated[1].value == oct9 and marked[2].status == "repeat"


def test_an_implausible_publication_date_cannot_move_its_story():
    # Two outlets date the flood in 2024; a third carries a typo (2099). Its date is no reference: its own
    # text and the story's agreement date it, and the undated report borrows 2024, not 2099.
    first = article("a", "The barrier on the Tamsin failed on March 4, flooding 300 homes.", published=date(2024, 3, 5))
    second = article("b", "The Tamsin barrier failure on March 4 is under investigation.", published=date(2024, 3, 6))
    typo = article("c", "The barrier failed on March 4, the council said.", published=date(2099, 3, 5))
    undated = article("d", "Residents returned home after the March 4 flood.")
    refs = infer_references([first, second, typo, undated], WINDOW)
    assert refs["c"].source == "story" and refs["c"].day.year == 2024
    assert refs["d"].day.year == 2024


def test_dates_outside_the_window_are_implausible_and_resolve_to_nothing():
    ref = infer_references([article("a", "Planners said the vault would be opened on March 5, 2097.",
                                     published=date(2024, 6, 1))], WINDOW)["a"]
    [far, near] = find_dates("It opens on March 5, 2097, and again in June 2025.")
    assert ref.implausible(far.spec) and ref.resolve(far.spec) is None
    assert not ref.implausible(near.spec) and ref.resolve(near.spec) == DateValue(date(2025, 6, 1), "month")
    assert ref.implausible(DateSpec("absolute", 1899, 5, 1))  # before 1900 (NEWSETL_EARLIEST_DATE moves it)


def test_an_event_dated_only_implausibly_stays_undated_and_says_why():
    ref = Reference(date(2024, 6, 1), window=WINDOW, published=date(2024, 6, 1))
    [far] = find_dates("The capsule will be opened on January 1, 2099.")
    expressions = {"x": Expression("x", "a", far.start, far.end, far.text, far.spec)}
    dated = date_mentions([replace(mention(0, "opening", 0), date_expression_id="x", date_via="own"),
                           mention(1, "opening", 0, value=DateValue(date(2024, 5, 30), "day"), basis="stated")],
                          expressions, ref)
    assert (dated[0].value, dated[0].basis) == (None, "implausible")
    assert inherit_dates(dated)[0].value is None  # dated by its own words: it borrows no other date
    _, groups = group_mentions(dated, ref)
    implausible = next(g for g in groups if g[0].mention_id == "m0")
    assert len(implausible) == 1 and event_value(implausible) == (None, "implausible")


def test_a_day_no_calendar_has_is_implausible_and_dates_no_event():
    ref = Reference(date(2024, 6, 1), window=WINDOW, published=date(2024, 6, 1))
    [impossible] = find_dates("The vote was held on April 31, 2024.")
    assert ref.implausible(impossible.spec) and ref.resolve(impossible.spec) is None
    expressions = {"x": Expression("x", "a", impossible.start, impossible.end, impossible.text, impossible.spec)}
    dated = date_mentions([replace(mention(0, "vote", 0), date_expression_id="x", date_via="own"),
                           mention(1, "vote", 0, value=DateValue(date(2024, 5, 1), "day"), basis="stated")],
                          expressions, ref)
    assert (dated[0].value, dated[0].basis) == (None, "implausible")
    assert inherit_dates(dated)[0].value is None  # not moved to another day of the text


def test_an_undated_event_reported_done_is_bounded_by_its_article_date():
    """ "Rebels fired on the convoy and two guards were killed." in an article dated 3 March: on or before it."""
    ref = Reference(date(2024, 3, 3), "day", "published")
    killed = [mention(0, "killing", 0, tense="past")]
    assert upper_bound(killed, ref) == (DateValue(date(2024, 3, 3), "day"), "on_or_before")
    assert upper_bound([mention(0, "talks", 0, tense="perfect")], ref)[1] == "on_or_before"
    assert upper_bound([mention(0, "statement", 0, tense="present")], ref)[1] == "on_or_before"  # "the agency says"
    # only the story's year is known: a bound as coarse as that
    year = Reference(date(2024, 1, 1), "year", "story")
    assert upper_bound(killed, year) == (DateValue(date(2024, 1, 1), "year"), "on_or_before")


def test_no_bound_for_planned_present_or_implausibly_dated_events_nor_without_a_reference():
    ref = Reference(date(2024, 3, 3), "day", "published")
    assert upper_bound([mention(0, "talks", 0, tense="future", modality="planned")], ref) == (None, None)
    assert upper_bound([mention(0, "talks", 0, tense="present")], ref) == (None, None)  # under way, not done
    assert upper_bound([mention(0, "clash", 0, basis="implausible")], ref) == (None, None)
    assert upper_bound([mention(0, "statement", 0, tense="future")], ref) == (None, None)  # "will argue"
    assert upper_bound([mention(0, "clash", 0)], None) == (None, None)
    # announced, then re-mentioned in the past tense only as a plan ("talks that were to begin"): still planned
    planned = [mention(0, "talks", 0, tense="future", modality="planned"), mention(1, "talks", 0, tense="present")]
    assert upper_bound(planned, ref) == (None, None)


def test_an_inferred_reference_bounds_nothing_when_the_text_names_a_later_year():
    """An undated obituary: its latest full date is the birthday, and it tells of later years."""
    obituary = article("o", "Ada Vell was born on 3 May 1931 in Carden. In 1958 she won the Rell prize.")
    ref = Reference(date(1931, 5, 3), "day", "text")
    assert not bounds_the_article(ref, obituary.expressions)
    report = article("r", "Polls closed on 3 May 2024. Turnout was low.")
    assert bounds_the_article(Reference(date(2024, 5, 3), "day", "text"), report.expressions)
    assert bounds_the_article(Reference(date(1931, 5, 3), "day", "published"), obituary.expressions)
    assert not bounds_the_article(None, report.expressions)
    plan = article("p", "Shooting ended on 3 May 2024. The film is due in 2025.")  # next year: a plan
    assert bounds_the_article(Reference(date(2024, 5, 3), "day", "text"), plan.expressions)


def _narrative_values(text: str, ref: Reference) -> tuple[list[Expression], list[DateValue | None]]:
    """The text's date expressions and their values, each narrative phrase resolved against its anchor."""
    expressions = [Expression(str(i), "a", m.start, m.end, m.text, m.spec) for i, m in enumerate(find_dates(text))]
    anchors = narrative_anchors(expressions, ref)
    return expressions, [ref.resolve(e.spec, anchors.get(e.expression_id)) for e in expressions]


def test_narrative_phrases_resolve_against_the_date_last_told():
    text = "The quake struck on June 4, 2019. Rescuers reached the town the next morning. " \
           "Aid arrived later that year, and on Friday the mayor spoke. Earlier that day, roads reopened."
    ref = Reference(date(2024, 3, 8), "day", "published")
    expressions, resolved = _narrative_values(text, ref)
    values = {e.text: value for e, value in zip(expressions, resolved)}
    assert values["the next morning"] == DateValue(date(2019, 6, 5), "day")
    assert values["later that year"] == DateValue(date(2019, 1, 1), "year")
    assert values["Earlier that day"] == DateValue(date(2024, 3, 8), "day")  # the Friday just told
    assert ref.resolve(expressions[1].spec) is None  # without an anchor it stays unresolved


def test_a_narrative_phrase_before_any_date_and_an_event_counted_phrase_stay_unresolved():
    text = "The next day, crews left. Volunteers came on May 2, 2020, ten days after the flood."
    _, resolved = _narrative_values(text, Reference(date(2020, 5, 9), "day", "published"))
    assert resolved == [None, DateValue(date(2020, 5, 2), "day"), None]


def test_a_year_told_as_a_point_moves_the_story_time_but_a_range_does_not():
    text = "Sales fell on March 3, 2020. In 2017, profit doubled from the previous year. In 2018 it fell. " \
           "Since 2012, exports grew, and the following year they fell."
    expressions, resolved = _narrative_values(text, Reference(date(2020, 6, 1), "day", "published"))
    values = {e.text: value for e, value in zip(expressions, resolved)}
    assert values["the previous year"] == DateValue(date(2016, 1, 1), "year")
    assert values["the following year"] == DateValue(date(2019, 1, 1), "year")  # from 2018, not from "since 2012"

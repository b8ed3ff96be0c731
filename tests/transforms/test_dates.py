"""Date expressions resolved against a reference date (invented sentences)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.dates import (DateSpec, DateValue, choose_date, find_dates, holiday_day, impossible_dates,
                             not_a_calendar_day, parse_date_line, reference_from_text, resolve)

REF = date(2024, 3, 7)  # a Thursday


def resolved(text: str, reference: date | None = REF):
    mentions = find_dates(text)
    assert mentions, text
    value = resolve(mentions[0].spec, reference)
    return (value.value.isoformat(), value.precision) if value else None


@pytest.mark.parametrize("text, expected", [
    ("The mayor spoke on Tuesday.", ("2024-03-05", "day")),          # weekday before the reference
    ("The mayor spoke on Thursday.", ("2024-03-07", "day")),         # the reference day itself
    ("The vote will be held on Monday.", ("2024-03-11", "day")),     # future tense: the next Monday
    ("Lenders asked the city to pay by Friday.", ("2024-03-08", "day")),  # a deadline, even in a past report
    ("Shops have stayed shut since Monday.", ("2024-03-04", "day")),
    ("The market crashed on March 1.", ("2024-03-01", "day")),
    ("It closed on Feb. 28, 2023.", ("2023-02-28", "day")),
    ("It reopened on 14 December.", ("2023-12-14", "day")),          # a year-less date in the past crosses the year
    ("Prices rose last month.", ("2024-02-01", "month")),
    ("Prices rose earlier this month.", ("2024-03-01", "month")),
    ("The law passed in 2019.", ("2019-01-01", "year")),
    ("The subsidy runs through 2027.", ("2027-01-01", "year")),
    ("The storm hit yesterday.", ("2024-03-06", "day")),
    ("It happened two days ago.", ("2024-03-05", "day")),
    ("Fighting broke out in early January.", ("2024-01-01", "month")),
])
def test_resolution(text, expected):
    assert resolved(text) == expected


def test_month_and_year_boundaries():
    assert resolved("The talks began on Saturday.", date(2024, 1, 2)) == ("2023-12-30", "day")
    assert resolved("Sales fell last month.", date(2024, 1, 15)) == ("2023-12-01", "month")
    assert resolved("The bridge opened on Dec. 31.", date(2024, 1, 3)) == ("2023-12-31", "day")


@pytest.mark.parametrize("text, reference, expected", [
    ("The ministry said last week that it would act.", date(2024, 3, 5), ("2024-02-26", "week")),  # across months
    ("The ministry said last week that it would act.", date(2024, 3, 20), ("2024-03-11", "week")),
    ("The harbour reopened earlier this week.", date(2024, 3, 7), ("2024-03-04", "week")),
    ("Layoffs are due to start later this week.", date(2024, 3, 4), ("2024-03-04", "week")),  # on the Monday itself
    ("The union plans another strike next week.", date(2024, 12, 30), ("2025-01-06", "week")),  # across years
    ("Ferries stopped running last weekend.", date(2024, 3, 11), ("2024-03-04", "week")),
    ("The assembly hopes to pass the bill by the end of the week.", date(2024, 3, 7), ("2024-03-04", "week")),
    ("Stocks ran low by the end of the month.", date(2024, 3, 7), ("2024-03-01", "month")),
    ("Two ferries collided over the weekend.", date(2024, 3, 11), ("2024-03-04", "week")),  # a Monday report
    ("The ministers will meet over the weekend.", date(2024, 3, 7), ("2024-03-04", "week")),
])
def test_weeks_are_a_week_dated_by_its_monday(text, reference, expected):
    assert resolved(text, reference) == expected


def test_the_previous_week_counts_from_the_event_told():
    assert resolved("The board met on May 3; the chairman had resigned the previous week.")[1] == "day"
    [previous] = [m for m in find_dates("The chairman had resigned the previous week.")]
    assert previous.spec.relative_to_event and resolve(previous.spec, REF) is None


def test_date_lines_with_weekdays_and_clock_times():
    assert parse_date_line("Wed May 5, 2010 7: 12pm BST").candidates == (date(2010, 5, 5),)
    assert parse_date_line("UPDATED 3: 09 AM EST Dec 19, 2008").candidates == (date(2008, 12, 19),)
    assert parse_date_line("Saturday August 3, 2013 @ 9:15am PDT").candidates == (date(2013, 8, 3),)
    assert parse_date_line("Tuesday 28 April 2009 22. 34 BST").candidates == (date(2009, 4, 28),)
    assert parse_date_line("Thursday will be busy") is None
    assert parse_date_line("Updated 7 / 14 / 2011 6: 02 PM").candidates == (date(2011, 7, 14),)
    assert parse_date_line("GENEVA, Switzerland, May 4, 2021").candidates == (date(2021, 5, 4),)
    assert parse_date_line("SPRINGFIELD, Ill., Oct. 2, 2017").candidates == (date(2017, 10, 2),)
    assert parse_date_line("Geneva talks resume, May 4, 2021") is None


def test_missing_reference_never_uses_today():
    assert resolved("The mayor spoke on Tuesday.", None) is None
    assert resolved("Prices rose last month.", None) is None
    assert resolved("The law passed in 2019.", None) == ("2019-01-01", "year")


def test_may_the_verb_is_not_a_month():
    assert not [m for m in find_dates("Officials may meet again. May God protect them.") if m.spec.month]


def test_date_lines():
    assert parse_date_line("Published: 12 June 2023").candidates == (date(2023, 6, 12),)
    assert parse_date_line("2023-06-12T10:00:00Z").candidates == (date(2023, 6, 12),)
    assert parse_date_line("Officials met today") is None
    assert parse_date_line("Jul. 4, 2021").candidates == (date(2021, 7, 4),)
    assert parse_date_line("Published 21.07.2015").candidates == (date(2015, 7, 21),)
    ambiguous = parse_date_line("5.6.2023")
    assert ambiguous.candidates == (date(2023, 6, 5), date(2023, 5, 6))
    assert choose_date(ambiguous, "Talks may end after weeks of clashes.") == date(2023, 6, 5)  # the verb is no month
    assert choose_date(ambiguous, "Nothing dated here.") == date(2023, 6, 5)  # day-first by default
    assert choose_date(ambiguous, "The vote was on April 20 and results came in April.") == date(2023, 5, 6)


def test_reference_from_text_uses_latest_full_date():
    text = "Talks began on Monday, June 3, 2024, and a deal followed on June 9, 2024. The 1999 accord was cited."
    assert reference_from_text(text) == date(2024, 6, 9)
    assert reference_from_text("Talks began on Monday.") is None


def test_weekday_after_the_reference_in_future_sentences():
    assert resolved("Voting will take place on Saturday.", date(2024, 3, 28)) == ("2024-03-30", "day")
    assert resolved("The summit is scheduled for Tuesday.", date(2024, 12, 30)) == ("2024-12-31", "day")
    assert resolved("The summit is scheduled for Thursday.", date(2024, 12, 30)) == ("2025-01-02", "day")


def test_year_less_dates_across_the_new_year():
    assert resolved("The talks will resume on Jan. 4.", date(2024, 12, 28)) == ("2025-01-04", "day")
    assert resolved("Fighting erupted in late December.", date(2025, 1, 10)) == ("2024-12-01", "month")


def test_counted_from_another_event_is_not_counted_from_the_reference():
    assert resolved("The strike came a day after the vote.") is None
    assert resolved("The strike came two days later.") == ("2024-03-09", "day")


def test_month_precision_reference():
    assert resolved("The minister spoke on Tuesday.", date(2024, 3, 1)) == ("2024-02-27", "day")  # across the month
    [tuesday] = find_dates("The minister spoke on Tuesday.")
    assert resolve(tuesday.spec, date(2024, 3, 1), "month") is None
    [last_month] = find_dates("Clashes erupted last month.")
    assert resolve(last_month.spec, date(2024, 3, 1), "month").value == date(2024, 2, 1)


def test_years_outside_prepositions():
    assert [m.text for m in find_dates("The band toured in 1996 and 1997.")] == ["in 1996", "1997"]
    assert [m.text for m in find_dates("After the 2008 election and the club's 1999 Cup win.")] == ["2008", "1999"]
    # the year a name carries is a date (TimeML dates "the 1994 Freedom of Access Act"); a count is not
    assert [m.text for m in find_dates("The 2009 Omnibus Act sent the 2000 troops home.")] == ["2009"]
    assert [m.text for m in find_dates("Heavy rain fell throughout the 1996 Olympic regatta.")] == ["1996"]
    assert [m.text for m in find_dates("A 2003 treaty ended feuds dating to 1871, and post-1945 borders held.")] \
        == ["2003", "dating to 1871", "post-1945"]


@pytest.mark.parametrize("text, expected", [
    ("The inquiry opened in February this year.", "2024-02-01"),
    ("Output fell in October last year.", "2023-10-01"),
    ("The plant should reopen in early May next year.", "2025-05-01"),
    ("In November, a week after the vote, the panel met.", "2023-11-01"),  # a month alone: the one behind
])
def test_a_month_with_its_year_named_relatively(text, expected):
    assert resolved(text) == (expected, "month")


@pytest.mark.parametrize("text, reference, expected", [
    ("The boat sank on Thanksgiving Day.", date(2024, 1, 10), "2023-11-23"),
    ("Turnout fell last Thanksgiving.", date(2024, 11, 26), "2023-11-23"),  # "last": the one before
    ("Volunteers will canvass until Election Day.", date(2024, 10, 20), "2024-11-05"),  # after the first Monday
    ("Fireworks lit the harbour on the Fourth of July.", date(2024, 8, 1), "2024-07-04"),
    ("Stores will stay open on Christmas Eve.", date(2024, 12, 1), "2024-12-24"),
])
def test_named_days_are_dates(text, reference, expected):
    assert resolved(text, reference) == (expected, "day")


def test_weeks_counted_back_and_the_week_of_a_day_are_weeks():
    assert resolved("The ferry capsized three weeks ago.") == ("2024-02-12", "week")  # REF is in the week of 4 March
    assert resolved("A ruling is due the week of April 8.") == ("2024-04-08", "week")
    assert [m.text for m in find_dates("The fair runs on May 3 and 4, not on 5 percent of days.")] == ["May 3", "4"]
    assert [m.text for m in find_dates("Turnout rose on May 3 and 4 percent fewer stayed home.")] == ["May 3"]


def test_generic_today_and_titles_are_no_dates():
    assert not find_dates("Critics say the film speaks to today's youth.")
    assert not find_dates("The senator appeared on This Week with a new plan.")
    assert [m.text for m in find_dates("This week the senator appeared on television.")] == ["This week"]


def test_clipped_month_names_and_month_named_events_are_no_dates():
    assert not find_dates("Deputy mayor Jan Novak opened the March for Clean Air.")
    assert [m.text for m in find_dates("Exports fell in Jan. and recovered in March of the next year.")] \
        == ["Jan", "March", "next year"]


@pytest.mark.parametrize("text, reference, expected", [
    ("The panel asked her to testify on Feb. 10.", date(2024, 1, 8), "2024-02-10"),  # next month, past-tense report
    ("The plant has been closed since March.", date(2023, 11, 20), "2023-03-01"),  # ahead, but not near enough
    ("The envoy will arrive on Feb. 2.", date(2024, 3, 7), "2025-02-02"),  # a future clause: ahead
    ("The bridge reopened on Oct. 2.", date(2024, 1, 8), "2023-10-02"),
    ("Dividends are payable Jan. 2 to holders of record Dec. 15.", date(2023, 12, 1), "2024-01-02"),
])
def test_year_less_dates_take_the_nearest_year_leaning_with_the_tense(text, reference, expected):
    assert resolved(text, reference)[0] == expected


@settings(max_examples=400, deadline=None)
@given(st.builds(DateSpec, kind=st.sampled_from(["absolute", "weekday", "relative", "year"]),
                 year=st.none() | st.integers(1, 9999), month=st.none() | st.integers(1, 12),
                 day=st.none() | st.integers(1, 31), weekday=st.none() | st.integers(0, 6),
                 unit=st.sampled_from([None, "day", "week", "month", "year"]),
                 offset=st.integers(-10**6, 10**6), direction=st.sampled_from([None, "past", "future"])),
       st.none() | st.dates(), st.sampled_from(["day", "week", "month", "year"]), st.none() | st.dates())
def test_resolve_never_raises_on_extreme_dates(spec, reference, precision, writing):
    # Year 9999 once crashed a whole run: `reference + timedelta(...)` overflowed past date.max.
    value = resolve(spec, reference, precision, writing)
    assert value is None or date.min <= value.value <= date.max


@pytest.mark.parametrize("line", ["30 February 2024", "Published: February 29, 2023", "2024-02-30",
                                  "2024-13-01T09:00:00Z", "31.04.2024", "Posted 04/31/2024 10:15 AM"])
def test_a_date_line_no_calendar_has_is_a_date_line_without_a_date(line):
    parsed = parse_date_line(line)
    assert parsed is not None and parsed.candidates == ()


def test_an_impossible_date_in_the_text_is_kept_and_resolves_to_nothing():
    [mention] = find_dates("The council said the vote of February 30, 2024 would be repeated.")
    assert mention.text == "February 30, 2024" and not_a_calendar_day(mention.spec)
    assert resolve(mention.spec, REF) is None
    [leap] = find_dates("It was signed on 29 February 2024.")
    assert not not_a_calendar_day(leap.spec) and resolve(leap.spec, REF) == DateValue(date(2024, 2, 29), "day")
    # without a year a day past the month's end is no date at all: "June 31 people" counts people
    assert not [m for m in find_dates("In June 31 people were hurt.") if m.spec.day]


def test_impossible_dates_are_found_where_pages_write_them():
    found = {(d.text, d.year, d.month, d.day) for text in (
        "https://news.example/2024/02/30/council-votes", '{"datePublished": "2023-02-29T08:00:00Z"}',
        "Posted 31.04.2024", "2024-13-01", "Updated: 30 February 2024", "valid 2024-02-29 and 12/03/2024")
        for d in impossible_dates(text)}
    assert found == {("2024/02/30", 2024, 2, 30), ("2023-02-29", 2023, 2, 29), ("31.04.2024", 2024, 4, 31),
                     ("2024-13-01", 2024, 13, 1), ("30 February 2024", 2024, 2, 30)}
    [feb30] = impossible_dates("2024-02-30")
    assert feb30.could_become(date(2024, 2, 1)) and feb30.could_become(date(2024, 1, 1))
    assert not feb30.could_become(date(2024, 2, 28)) and not feb30.could_become(date(2023, 2, 1))
    [month13] = impossible_dates("2024-13-01")
    assert month13.could_become(date(2024, 1, 13))


@pytest.mark.parametrize("text, expected", [
    ("The appeal will be heard in May before three judges.", "May"),
    ("Talks have stalled since May.", "May"),
])
def test_may_after_a_preposition_of_time_is_the_month(text, expected):
    assert [m.text for m in find_dates(text)] == [expected]
    assert find_dates(text)[0].spec.month == 5


def test_may_as_a_verb_or_a_name_is_no_month():
    assert find_dates("May the council decide otherwise, the plan fails.") == []
    assert find_dates("Officials said May was the likeliest candidate.") == []


@pytest.mark.parametrize("text, unit, offset", [
    ("The crew returned to port the next morning.", "day", 1),
    ("Earlier that day, the mayor had visited the dam.", "day", 0),
    ("The ferry sank later that year.", "year", 0),
    ("The pilots met the previous evening.", "day", -1),
])
def test_phrases_told_from_the_story_time_are_narrative(text, unit, offset):
    (mention,) = find_dates(text)
    assert (mention.spec.unit, mention.spec.offset, mention.spec.narrative) == (unit, offset, True)
    assert resolve(mention.spec, REF) is None  # never against the article's date


def test_the_day_after_an_event_is_counted_from_that_event_not_the_story_time():
    (mention,) = find_dates("Volunteers arrived the day after the landslide.")
    assert mention.spec.relative_to_event and not mention.spec.narrative


def test_the_day_before_a_clause_or_a_gerund_is_no_date():
    assert [m.text for m in find_dates("The ship was last seen Nov. 3, the day before inspectors boarded it.")] \
        == ["Nov. 3"]
    assert find_dates("She toured the port later in the day before flying home.") == []
    assert find_dates("He said that day care costs too much.") == []


def test_the_day_before_a_stated_day_is_that_day_shifted():
    (mention,) = find_dates("The day before last Monday's vote, the mayor resigned.")
    assert mention.text == "The day before last Monday"
    assert resolve(mention.spec, REF) == DateValue(date(2024, 3, 3), "day")  # Monday 4 March, minus one


def test_a_clock_time_is_on_the_day_its_sentence_names():
    text = "The dam gave way at about 6:40 a.m. (1140 GMT) Sunday, flooding the valley."
    clock, day = find_dates(text)
    assert (clock.text, day.text) == ("6:40 a.m.", "Sunday")
    assert resolve(clock.spec, REF) == resolve(day.spec, REF) == DateValue(date(2024, 3, 3), "day")
    (joined,) = find_dates("The board set a deadline of 5 p.m. EST Friday.")
    assert joined.text == "5 p.m. EST Friday"
    assert [m.text for m in find_dates("The court sits at noon, the clerk said today.")] == ["noon", "today"]


def test_a_clock_time_without_a_day_or_in_an_idiom_is_no_date():
    assert find_dates("The alarm rang at 10 p.m. as guests left.") == []
    assert [m.text for m in find_dates("For the club, high noon comes today.")] == ["today"]
    # a day counted from another event gives the clock time no day either
    assert [m.text for m in find_dates("A guard saw the van at 6 a.m. two days before the fire.")] \
        == ["two days before"]


@pytest.mark.parametrize("reference, expected", [
    (date(2024, 3, 8), "2024-03-04"),  # a Friday: most of the seven days before are this week
    (date(2024, 3, 4), "2024-02-26"),  # a Monday: most of them are last week
])
def test_the_past_week_is_the_week_holding_most_of_the_seven_days_before(reference, expected):
    (mention,) = find_dates("The envoy has been in Geneva for the past week.")
    assert resolve(mention.spec, reference) == DateValue(date.fromisoformat(expected), "week")
    (plain,) = find_dates("The envoy left Geneva last week.")
    assert resolve(plain.spec, date(2024, 3, 8)) == DateValue(date(2024, 2, 26), "week")


@pytest.mark.parametrize("year, expected", [(2000, date(2000, 4, 23)), (2019, date(2019, 4, 21)),
                                            (2024, date(2024, 3, 31)), (2038, date(2038, 4, 25))])
def test_easter_sunday_is_computed(year, expected):
    assert holiday_day("easter", year) == expected


def test_easter_and_easter_week_are_dates_but_easter_island_is_not():
    reference = date(2019, 4, 15)  # a Monday
    (week,) = find_dates("Pilgrims filled the square as Easter week began.")
    assert resolve(week.spec, reference) == DateValue(date(2019, 4, 15), "week")  # Easter was 21 April
    (day,) = find_dates("The bishop will speak at Easter.")
    assert resolve(day.spec, reference) == DateValue(date(2019, 4, 21), "day")
    assert find_dates("Flights to Easter Island resumed.") == []
    assert find_dates("Shops sold out of Easter eggs.") == []


def test_a_clock_time_in_the_morning_is_on_the_day_its_sentence_names():
    clock, day = find_dates("The convoy leaves at 5 in the morning (5 a.m. CET Friday), he said.")
    assert clock.text == "5 in the morning" and clock.spec == day.spec
    assert [m.text for m in find_dates("She scored 5 in the morning session on Friday.")] == ["on Friday"]

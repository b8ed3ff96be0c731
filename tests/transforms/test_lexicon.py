"""The shared word lists and patterns: a clutter line gets the reason its pattern names, a news sentence gets
none, and the lists are in the form the stages compare them in."""

import pytest

from transforms import lexicon


def _line_reason(line: str) -> str | None:
    """The first pattern that matches the whole line names its reason (the order of LINE_PATTERNS matters)."""
    return next((reason for reason, pattern in lexicon.LINE_PATTERNS if pattern.match(line)), None)


@pytest.mark.parametrize(("line", "reason"), [
    ("Skip to main content", "navigation"), ("Partly cloudy", "weather"), ("-3 °C", "weather"),
    ("Sponsored by Harbour Bank", "sponsored"), ("Advertisement", "sponsored"), ("5 min read", "reading_time"),
    ("Share Tweet Email", "social"), ("Sign up for our morning newsletter", "newsletter"),
    ("We use cookies to improve your experience.", "cookie"), ("© 2024 Lowtown Gazette", "copyright"),
    ("Tags: ferries, strikes", "tags"), ("3 comments", "comments"), ("https://example.org/ferries", "url"),
    ("Published 2 hours ago", "timestamp"), ("___", "separator"),
    ("Copyright 2025 Harbour Media Ltd.", "copyright"), ("Copyright © Lowtown Gazette", "copyright"),
    ("Copyright Lowtown Gazette. All rights reserved.", "copyright"), ("Full Weather | Traffic", "weather"),
    ("Today’s weather: Light rain", "weather"), ("Local weather radar", "weather"),
])
def test_a_clutter_line_gets_the_reason_of_its_pattern(line, reason):
    assert _line_reason(line) == reason


@pytest.mark.parametrize("line", [
    "The ferry strike ended on Friday, the union said.",
    "Share prices fell 3 percent on Monday.",  # starts with a social button's word
    "Subscribers to the ferry pass will get a refund, the operator said.",
    "Copyright lawyers for the ferry operator said the timetable would be published again on Tuesday.",
    "Copyright Office officials declined to comment on the ferry logo.",
    "Weather delayed the first ferry by two hours on Monday.",
    "Weather forecasters expect gales on the crossing by Thursday.",
    "Forecast models show the storm turning north before it reaches the harbour.",
])
def test_a_news_sentence_matches_no_clutter_pattern(line):
    assert _line_reason(line) is None


def test_headers_of_related_links_bylines_credits_and_update_labels():
    assert all(lexicon.RELATED_HEADER.match(line) for line in ("You may also like", "Read more:", "Related stories"))
    assert lexicon.BYLINE.match("Story by: Anna Bell")["names"] == "Anna Bell"
    assert lexicon.BYLINE.match("Bystanders said the ferry was late") is None
    assert lexicon.CREDIT_SENTENCE.search("Jan Novak contributed to this report.")
    assert not lexicon.CREDIT_SENTENCE.search("Jan Novak reported the fire to the police.")
    assert lexicon.LAST_UPDATE_LABEL.search("Last updated: 13 July 2020")
    assert not lexicon.LAST_UPDATE_LABEL.search("Published 13 July 2020")


def test_word_lists_are_lower_case_and_acronyms_upper_case():
    """The stages compare lower-cased words with the lists (and all-capitals words with NOT_ACRONYMS): an entry
    in another case would never match."""
    lists = {name: value for name, value in vars(lexicon).items() if isinstance(value, frozenset)}
    assert len(lists) >= 10
    for name, words in lists.items():
        expected = str.upper if name == "NOT_ACRONYMS" else str.lower
        assert all(word == expected(word) for word in words), name


def test_every_way_of_writing_an_agency_leads_to_its_short_form():
    assert all(key == " ".join(key.lower().split()) for key in lexicon.AGENCIES)  # looked up folded
    short_forms = set(lexicon.AGENCIES.values())
    assert set(lexicon.AGENCY_FULL_NAMES) <= short_forms
    for short, full in lexicon.AGENCY_FULL_NAMES.items():
        assert lexicon.AGENCIES[full.lower()] == short

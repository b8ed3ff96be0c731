"""Event mentions on invented sentences: which triggers are events, and which date belongs to which."""

import pytest

from tests.helpers.parsing import parse_body
from transforms.extract.events import doc_dates, event_attributes, extract_event_mentions


def mentions_of(nlp, text):
    doc, mentions, _ = parse_body(nlp, text)
    found = extract_event_mentions(doc, mentions)
    for m in found:
        assert text[m.start:m.end] == m.evidence
        assert text[m.trigger_start:m.trigger_end] == m.trigger
    return found


def one(found, event_type):
    [mention] = [m for m in found if m.event_type == event_type]
    return mention


def test_typed_with_own_date(nlp):
    ceasefire = one(mentions_of(nlp, "Ruritania and Freedonia agreed a ceasefire on March 2 after weeks of fighting."),
                    "ceasefire")
    assert ceasefire.status == "event" and ceasefire.date.text == "March 2" and ceasefire.date_via == "own"


def test_negated_and_hypothetical_are_not_events(nlp):
    clash = one(mentions_of(nlp, "No new clashes have been reported since Monday."), "clash")
    assert clash.status == clash.modality == "negated"
    found = mentions_of(nlp, "If the talks fail, the ceasefire could collapse.")
    assert {(m.status, m.modality) for m in found if m.event_type in {"talks", "ceasefire"}} == \
        {("hypothetical", "hypothetical")}
    assert one(mentions_of(nlp, "Border guards clashed with smugglers near the river on Friday."),
               "clash").modality == "happened"


def test_goals_states_and_modifiers_are_not_events(nlp):
    aims = mentions_of(nlp, "The delegations met in Vienna, aiming at securing a lasting ceasefire.")
    assert one(aims, "ceasefire").status == "hypothetical"
    held = mentions_of(nlp, "A ceasefire has mostly been maintained since the spring.")
    assert one(held, "ceasefire").status == "state"
    mechanism = mentions_of(nlp, "The sides will set up a system for reporting ceasefire violations.")
    assert one(mechanism, "ceasefire").status == "modifier"


def test_consequence_is_subsumed_by_its_cause(nlp):
    found = mentions_of(nlp, "The clashes killed dozens of people in the valley last week.")
    assert one(found, "killing").status == "subsumed" and one(found, "clash").status == "event"


def test_re_mentions_are_marked(nlp):
    found = mentions_of(nlp, "This series of clashes prompted Lowland to host emergency talks.")
    assert one(found, "clash").anaphoric and not one(found, "talks").anaphoric
    assert one(mentions_of(nlp, "Despite the ceasefire, the roads stayed empty."), "ceasefire").background


def test_future_is_marked(nlp):
    talks = one(mentions_of(nlp, "The two sides will hold talks in Vienna on Monday."), "talks")
    assert talks.modality == "planned" and talks.date.text == "on Monday"


def test_date_goes_to_the_phrase_it_follows(nlp):
    found = mentions_of(nlp, "The fighting began after explosions in Lowtown on May 9.")
    assert one(found, "explosion").date.text == "May 9"
    assert one(found, "clash").date is None


def test_date_of_an_unrelated_clause_is_not_taken(nlp):
    found = mentions_of(nlp, "The sides are expected to resume talks to revive a dialogue that collapsed earlier this week.")
    assert one(found, "talks").date is None


def test_reported_past_event_takes_the_report_date(nlp):
    found = mentions_of(nlp, "On Friday, the army reported that it had killed nine fighters in two raids in Westmark.")
    raid = one(found, "military_operation")
    assert raid.date.text == "On Friday" and raid.date_via == "report" and raid.status == "event"
    assert one(found, "killing").status == "subsumed"


def test_location_from_preposition(nlp):
    explosion = one(mentions_of(nlp, "An explosion in Lowtown damaged the station on Tuesday."), "explosion")
    assert explosion.location_key is not None


def test_paragraphs_are_sentence_boundaries(nlp):
    found = mentions_of(nlp, "Officials said the talks would resume, the minister said Thursday\n\nClashes broke out.")
    clash = one(found, "clash")
    assert clash.evidence == "Clashes broke out." and clash.paragraph_no == 1


def test_counts_stated_with_events():
    assert event_attributes("four days of negotiations concluded") == {"duration_days": 4}
    assert event_attributes("a five-day round of talks") == {"duration_days": 5}
    assert event_attributes("the army said it killed 18 militants") == {"killed": 18}


def test_trigger_words_inside_names_are_not_events(nlp):
    found = mentions_of(nlp, "The director clashed with Summit Entertainment over the budget.")
    assert [m.status for m in found if m.trigger == "Summit"] == ["name"]


def _dates(nlp, text):
    from transforms.dates import resolve
    from datetime import date
    reference = date(2024, 3, 7)  # a Thursday
    return {m.text: resolve(m.spec, reference).value.isoformat() for m in doc_dates(nlp(text))}


def test_weekday_direction_follows_its_own_clause(nlp):
    # A future cue elsewhere in the sentence does not move a weekday of a past-tense clause.
    said = _dates(nlp, "The mayor said Tuesday that the bridge will reopen in the spring.")
    assert said["Tuesday"] == "2024-03-05"
    attack = _dates(nlp, "The attack on Monday killed four guards, and officials plan to rebuild the post.")
    assert attack["on Monday"] == "2024-03-04"
    vote = _dates(nlp, "The council will vote on Monday on the new budget.")
    assert vote["on Monday"] == "2024-03-11"
    ceremony = _dates(nlp, "The town is preparing to open its new library on Friday.")
    assert ceremony["on Friday"] == "2024-03-08"
    declined = _dates(nlp, "The coach declined to comment on Friday.")
    assert declined["on Friday"] == "2024-03-01"
    month = _dates(nlp, "The director revealed in October plans to open two more branches.")
    assert month["October"] == "2023-10-01"


@pytest.mark.parametrize("text, expression, expected", [
    ("The union planned to walk out on Monday.", "on Monday", "2024-03-11"),  # an intent in a past report
    ("Talks were set to resume Monday.", "Monday", "2024-03-11"),
    ("The court postponed until Tuesday its ruling on the merger.", "until Tuesday", "2024-03-12"),
    ("The ministry has scheduled a briefing Friday.", "Friday", "2024-03-08"),
    ("Farmers planned a protest march on Saturday.", "on Saturday", "2024-03-09"),
    ("The envoy would be flying home Sunday.", "Sunday", "2024-03-10"),
    ("Inspectors might arrive as soon as Monday.", "as soon as Monday", "2024-03-11"),
    ("The first two states to ratify the treaty on Monday were Chad and Peru.", "on Monday", "2024-03-04"),
    ("The envoy would have flown home on Sunday.", "on Sunday", "2024-03-03"),
    ("On Monday, the ministry planned to pay the first claims.", "On Monday", "2024-03-04"),  # when it planned
    ("A vigil planned for Monday was called off.", "Monday", "2024-03-04"),  # the clause it modifies decides
])
def test_an_arranged_or_intended_time_lies_ahead(nlp, text, expression, expected):
    assert _dates(nlp, text)[expression] == expected


def test_a_when_clause_dates_the_event_it_modifies(nlp):
    found = mentions_of(nlp, "Two guards were killed when rioters set fire to the customs office on Saturday.")
    assert one(found, "killing").date.text == "on Saturday"


def test_a_quoted_conditional_is_hypothetical(nlp):
    found = mentions_of(nlp, "\"If the dam fails, the explosion of anger will flood the capital,\" the mayor said.")
    assert one(found, "explosion").status == "hypothetical"


def test_every_trigger_type_is_in_the_contract_vocabulary():
    import contract
    from transforms.extract.events import TRIGGERS

    assert {event_type for event_type, _ in TRIGGERS} | {"statement"} <= set(contract.EVENT_TYPES)


def test_a_deadline_is_not_the_day_a_statement_was_made(nlp):
    said = one(mentions_of(nlp, "Governor Elena Marsh said the budget must pass by Friday."), "statement")
    assert said.date is None  # said before the deadline, on a day the sentence does not give
    said = one(mentions_of(nlp, "Governor Elena Marsh told lawmakers on Tuesday that the budget was late."), "statement")
    assert said.date is not None and said.date.text == "on Tuesday"


def _modality_of(nlp, text: str, trigger: str) -> str:
    [mention] = [m for m in mentions_of(nlp, text) if m.trigger == trigger]
    return mention.modality


def test_a_verb_in_the_past_happened_whatever_another_clause_plans(nlp):
    assert _modality_of(nlp, "The fair was scheduled to open on Friday when a parcel bomb detonated near the "
                        "ticket hall.", "detonated") == "happened"
    assert _modality_of(nlp, "Talks were expected to start at noon, but a car bomb exploded outside the hotel.",
                        "exploded") == "happened"
    assert _modality_of(nlp, "The bridge was to stay closed all week due to the explosion, the council said.",
                        "explosion") == "happened"  # "due to" a noun phrase is a cause, not a schedule


def test_a_scheduled_or_future_event_stays_planned(nlp):
    assert _modality_of(nlp, "Talks are scheduled to resume in Lisbon on Monday.", "Talks") == "planned"
    assert _modality_of(nlp, "A ceasefire is due to begin at midnight.", "ceasefire") == "planned"


def test_a_noun_told_by_a_verb_in_the_past_happened_and_one_under_a_schedule_is_planned(nlp):
    assert _modality_of(nlp, "The minister is scheduled to visit the port and meet workers who survived the "
                        "explosion last month.", "explosion") == "happened"
    assert _modality_of(nlp, "Talks were set to resume in Lisbon on Monday, officials said.", "Talks") == "planned"


@pytest.mark.parametrize("text, expression, expected", [
    ("The club keeps its licence if the appeal is heard in May before the new season.", "May", "2024-05-01"),
    ("Ministers will meet once the border reopens on Monday.", "on Monday", "2024-03-11"),
    ("The strike ends if the union signs on Friday, officials said.", "on Friday", "2024-03-08"),
    # told in the past, the clause of time stays behind
    ("Talks stalled when the envoy left on Monday.", "on Monday", "2024-03-04"),
    ("Police said the suspect fled when officers arrived Tuesday.", "Tuesday", "2024-03-05"),
])
def test_a_present_tense_clause_of_time_or_condition_lies_ahead(nlp, text, expression, expected):
    assert _dates(nlp, text)[expression] == expected

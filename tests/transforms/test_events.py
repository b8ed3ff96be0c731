"""Event triggers, modality and dates on invented sentences."""

from datetime import date

from transforms.events import extract_events
from transforms.mentions import cluster_mentions, doc_mentions


def events_of(nlp, text, reference=date(2024, 3, 7)):
    doc = nlp(text)
    mentions = doc_mentions(doc, "body")
    cluster_mentions(mentions)
    found = extract_events(doc, mentions, reference)
    for event in found:
        assert text[event.start:event.end] == event.evidence
    return found


def test_typed_and_dated(nlp):
    found = events_of(nlp, "Ruritania and Freedonia agreed a ceasefire on March 2 after weeks of fighting.")
    ceasefire = next(e for e in found if e.event_type == "ceasefire")
    assert (ceasefire.event_date, ceasefire.date_precision) == (date(2024, 3, 2), "day")


def test_negated_and_hypothetical_are_not_events(nlp):
    assert not [e for e in events_of(nlp, "No new clashes have been reported since Monday.") if e.event_type == "clash"]
    assert not [e for e in events_of(nlp, "If the talks fail, the ceasefire could collapse.")
                if e.event_type in {"talks", "ceasefire"}]


def test_future_is_marked(nlp):
    [event] = [e for e in events_of(nlp, "The two sides will hold talks in Vienna on Monday.") if e.event_type == "talks"]
    assert event.modality == "future" and event.event_date == date(2024, 3, 11)


def test_location_from_preposition(nlp):
    found = events_of(nlp, "An explosion in Lowtown damaged the station on Tuesday.")
    [event] = [e for e in found if e.event_type == "explosion"]
    assert event.location_key is not None

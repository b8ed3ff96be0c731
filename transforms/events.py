"""Typed events from trigger words in their sentence, dated against the article's reference date.

Negated ("no new clashes") and hypothetical ("if the talks fail") mentions are not events; future ones
("talks will resume") are kept with `modality = future`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span

from transforms import lexicon
from transforms.dates import DateMention, find_dates, resolve
from transforms.mentions import Mention

TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (event_type, re.compile(pattern, re.IGNORECASE))
    for event_type, pattern in (
        ("ceasefire", r"\bcease-?fires?\b|\btruces?\b|\barmistice\b"),
        ("airstrike", r"\bair[- ]?strikes?\b|\bair raids?\b|\bdrone (?:strikes?|attacks?)\b|\baerial (?:bombing|attacks?)\b"),
        ("explosion", r"\bexplosions?\b|\bblasts?\b|\bbombings?\b|\bexploded\b|\bdetonat\w+"),
        ("border_closure", r"\b(?:border|crossings?|frontier)\b[^.;]{0,60}?\b(?:closed|shut|sealed)\b|"
                           r"\b(?:closed|shut|sealed|closure of)\b[^.;]{0,40}?\b(?:borders?|crossings?|frontier)\b"),
        ("border_reopening", r"\breopen(?:ed|ing|s)?\b[^.;]{0,60}?\b(?:borders?|crossings?|frontier|them)\b|"
                             r"\b(?:borders?|crossings?)\b[^.;]{0,40}?\breopened\b"),
        ("power_change", r"\b(?:return(?:ed|s)?|came|come|rise|rose) to power\b|\b(?:took|seized|assumed|seize|take) "
                         r"(?:over )?power\b|\bcoup\b|\bousted\b|\btoppled\b|\bsworn in\b"),
        ("killing", r"\bkill(?:ed|ing|s)?\b|\bneutrali[sz]ed\b|\bassassinat\w+|\bslain\b|\bdeath of\b|\bexecuted\b"),
        ("military_operation", r"\b(?:military |security |counter-?terrorism )?operations?\b|\boffensive\b|"
                               r"\braids?\b|\bcrackdown\b|\btargeted\b[^.;]{0,40}?\bhideouts?\b"),
        ("clash", r"\bclash(?:es|ed)?\b|\bfighting\b|\bskirmish\w*|\bexchanges? of fire\b|\bfirefights?\b|"
                  r"\bhostilities\b|\bretaliat(?:ion|ory attacks?|ed)\b|\bfought\b"),
        ("talks", r"\b(?:peace |high-stakes |emergency )?talks\b|\bnegotiations?\b|\bdiscussions\b|\bsummit\b|"
                  r"\bround of (?:talks|negotiations)\b"),
    )
)
_FUTURE = re.compile(r"\b(?:will|shall|expected to|set to|scheduled|plans? to|due to|is to|are to)\b", re.IGNORECASE)
_LOCATION_PREPS = {"in", "at", "near", "on", "into", "inside", "across", "along", "from", "to"}


@dataclass
class Event:
    event_type: str
    trigger: str
    start: int
    end: int
    evidence: str
    modality: str
    date_text: str | None = None
    event_date: date | None = None
    date_precision: str | None = None
    actor_keys: list[int] = field(default_factory=list)
    location_key: int | None = None


def _modality(sentence: str, trigger_at: int) -> str:
    """asserted / negated / hypothetical / future, from cues in the clause before the trigger."""
    clause_start = max(sentence.rfind(sep, 0, trigger_at) for sep in (",", ";", "—", ":")) + 1
    before = sentence[clause_start:trigger_at]
    window = sentence[max(0, trigger_at - 40):trigger_at]
    if re.search(r"\b(?:no|without)\s+(?:\w+\s+){0,2}$", window, re.IGNORECASE):
        return "negated"
    if re.search(r"\b(?:not|never)\b", before, re.IGNORECASE) and not re.search(r"\bnot only\b", before, re.IGNORECASE):
        return "negated"
    if re.search(r"\b(?:if|unless)\b", before, re.IGNORECASE) or re.match(r"\s*(?:if|unless)\b", sentence, re.IGNORECASE):
        return "hypothetical"
    if re.match(r"\S*\s+(?:\w+\s+)?(?:could|would|might|may)\b", sentence[trigger_at:], re.IGNORECASE):
        return "hypothetical"
    if _FUTURE.search(sentence[:trigger_at + 40]):
        return "future"
    return "asserted"


def _nearest_date(dates: list[DateMention], at: int) -> DateMention | None:
    return min(dates, key=lambda d: abs(d.start - at)) if dates else None


def _entities_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.text_field == "body" and start <= m.start and m.end <= end]


def _location(sentence: Span, mentions: list[Mention]) -> Mention | None:
    places = [m for m in _entities_in(mentions, sentence.start_char, sentence.end_char)
              if m.label in {"GPE", "LOC", "FAC"}]
    for place in places:
        span = sentence.doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is not None and span.start > 0 and sentence.doc[span.start - 1].lower_ in _LOCATION_PREPS:
            return place
    return None


def extract_events(doc: Doc, mentions: list[Mention], reference: date | None) -> list[Event]:
    """One event per trigger type per sentence, with date, actors and location."""
    events: list[Event] = []
    for sentence in doc.sents:
        text = sentence.text
        dates = find_dates(text)
        seen_types: set[str] = set()
        for event_type, pattern in TRIGGERS:
            match = pattern.search(text)
            if match is None or event_type in seen_types:
                continue
            modality = _modality(text, match.start())
            if modality in {"negated", "hypothetical"}:
                continue
            seen_types.add(event_type)
            event = Event(event_type, match.group(0), sentence.start_char, sentence.start_char + len(text.rstrip()),
                          text.rstrip(), modality)
            if (mention := _nearest_date(dates, match.start())) is not None:
                value = resolve(mention.spec, reference)
                event.date_text = mention.text
                if value is not None:
                    event.event_date, event.date_precision = value.value, value.precision
            location = _location(sentence, mentions)
            event.location_key = location.local_key if location else None
            event.actor_keys = list(dict.fromkeys(
                m.local_key for m in _entities_in(mentions, sentence.start_char, sentence.end_char)
                if m.label in {"PERSON", "ORG", "GPE", "NORP"} and m is not location))
            events.append(event)
        statement = _statement(sentence, mentions)
        if statement is not None:
            events.append(statement)
    return events


def _statement(sentence: Span, mentions: list[Mention]) -> Event | None:
    """A named person or organisation saying something: a `statement` event."""
    for token in sentence:
        if token.lemma_.lower() not in lexicon.SPEECH_VERBS or token.pos_ != "VERB":
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if not subjects:
            continue
        subject = subjects[0]
        speaker = next((m for m in _entities_in(mentions, sentence.start_char, sentence.end_char)
                        if m.label in {"PERSON", "ORG"} and m.start <= subject.idx < m.end), None)
        if speaker is None:
            continue
        text = sentence.text.rstrip()
        return Event("statement", token.text, sentence.start_char, sentence.start_char + len(text), text,
                     "asserted", actor_keys=[speaker.local_key])
    return None

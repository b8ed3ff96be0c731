"""Who "he" and "she" are: a small salience-based coreference step for people (Lappin & Leass in spirit).

A pronoun is resolved to the person entity of the article with the highest salience among those named
before it and compatible in gender. Salience comes from recency (in sentences), from being a clause's
subject, and from having just been quoted. Gender is known per entity only from evidence in the text:
honorifics and gendered role words next to the name ("Mrs.", "spokeswoman", "actress"), and pronouns
that can only point at that person (the only person named in their sentence or the one before).
No name lists and no guessing from first names: an entity with no evidence is compatible with both.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from transforms.extract.doctext import doc_text
from transforms.extract.mentions import Mention

MALE, FEMALE = "m", "f"
PRONOUN_GENDER = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
                  "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
_GENDERED_WORDS = {
    MALE: {"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother", "son", "husband", "spokesman",
           "chairman", "congressman", "businessman", "actor", "uncle", "boy", "man", "emir", "sultan", "sheikh"},
    FEMALE: {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess", "mother", "sister", "daughter",
             "wife", "spokeswoman", "chairwoman", "congresswoman", "businesswoman", "actress", "aunt", "girl",
             "woman", "widow", "first lady"},
}
WINDOW_SENTENCES = 12  # how far back a pronoun looks for its person (quotes of several sentences intervene)
SUBJECT_BONUS = 2.0
SPEAKER_BONUS = 2.5
SAME_PARAGRAPH_BONUS = 1.0
GENDER_MATCH_BONUS = 3.0  # known to agree beats merely not known to disagree


@dataclass(frozen=True)
class PersonMention:
    local_key: int
    start: int
    sentence: int
    paragraph: int
    is_subject: bool


def _sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token."""
    index = [0] * len(doc)
    for n, sentence in enumerate(doc.sents):
        for i in range(sentence.start, sentence.end):
            index[i] = n
    return index


def _paragraph_starts(text: str) -> list[int]:
    return [m.end() for m in re.finditer(r"\n\s*\n", text)]


def _paragraph_of(starts: list[int], position: int) -> int:
    return bisect.bisect_right(starts, position)


def person_mentions(doc: Doc, mentions: list[Mention]) -> list[PersonMention]:
    """Body mentions of people, with their sentence, paragraph and whether they are a clause subject."""
    sentence_of = _sentence_index(doc)
    paragraphs = _paragraph_starts(doc_text(doc))
    found = []
    for m in mentions:
        if m.text_field != "body" or m.label != "PERSON" or m.local_key < 0 or m.kind == "byline":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        found.append(PersonMention(m.local_key, m.start, sentence_of[span.root.i], _paragraph_of(paragraphs, m.start),
                                   span.root.dep_ in {"nsubj", "nsubjpass"}))
    return sorted(found, key=lambda p: p.start)


def infer_genders(doc: Doc, mentions: list[Mention]) -> dict[int, str]:
    """Gender of person entities where the text shows it (see module docstring); others are absent."""
    votes: dict[int, Counter[str]] = {}
    text = doc_text(doc)
    for m in mentions:
        if m.text_field != "body" or m.label != "PERSON" or m.local_key < 0:
            continue
        before = text[max(0, m.start - 40):m.start].lower().replace(",", " ").split()[-3:]
        after = text[m.end:m.end + 40].lower().replace(",", " ").split()[:4]
        for gender, words in _GENDERED_WORDS.items():
            if any(w in words for w in before) or (after[:1] and after[0] in {"a", "an", "the"}
                                                    and any(w in words for w in after[1:])):
                votes.setdefault(m.local_key, Counter())[gender] += 2
    people = person_mentions(doc, mentions)
    by_sentence: dict[int, set[int]] = {}
    for p in people:
        by_sentence.setdefault(p.sentence, set()).add(p.local_key)
    sentence_of = _sentence_index(doc)
    for token in doc:
        gender = PRONOUN_GENDER.get(token.lower_)
        if gender is None:
            continue
        n = sentence_of[token.i]
        here = by_sentence.get(n, set())
        before = here or by_sentence.get(n - 1, set())
        if len(before) == 1:
            votes.setdefault(next(iter(before)), Counter())[gender] += 1
    genders = {}
    for key, counter in votes.items():
        (best, count), *rest = counter.most_common()
        if not rest or count >= 2 * rest[0][1]:
            genders[key] = best
    return genders


class PronounResolver:
    """Resolves third-person singular pronouns of one parsed body to person entities (local keys)."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.people = person_mentions(doc, mentions)
        self.genders = infer_genders(doc, mentions)
        self.sentence_of = _sentence_index(doc)
        self.paragraphs = _paragraph_starts(doc_text(doc))

    def resolve(self, pronoun_at: int, recent_speakers: tuple[int, ...] = ()) -> int | None:
        """Local key of the person a pronoun at character `pronoun_at` stands for, or None.

        `recent_speakers`: local keys of the speakers of the quotes just before, latest last.
        """
        span = self.doc.char_span(pronoun_at, pronoun_at + 1, alignment_mode="expand")
        if span is None:
            return None
        token = span[0]
        gender = PRONOUN_GENDER.get(token.lower_)
        sentence = self.sentence_of[token.i]
        paragraph = _paragraph_of(self.paragraphs, pronoun_at)
        scores: dict[int, float] = {}
        latest: dict[int, int] = {}
        for person in self.people:
            if person.start >= pronoun_at or sentence - person.sentence > WINDOW_SENTENCES:
                continue
            if gender and self.genders.get(person.local_key, gender) != gender:
                continue
            score = 10.0 - min(2.0 * (sentence - person.sentence), 8.0)
            score += SUBJECT_BONUS if person.is_subject else 0.0
            score += SAME_PARAGRAPH_BONUS if person.paragraph == paragraph else 0.0
            score += GENDER_MATCH_BONUS if gender and self.genders.get(person.local_key) == gender else 0.0
            scores[person.local_key] = max(scores.get(person.local_key, float("-inf")), score)
            latest[person.local_key] = person.start
        for rank, key in enumerate(reversed(recent_speakers[-2:])):
            if key in scores:
                scores[key] += SPEAKER_BONUS / (rank + 1)
        if not scores:
            return None
        return max(scores, key=lambda k: (scores[k], latest[k]))

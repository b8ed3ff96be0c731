"""Quotations and who said them.

Quote spans come from quotation marks (curly or straight); the speaker comes from the dependency
parse: the speech verb (or speech noun, or "according to") governing the quote, and its subject, which
is a named entity (explicit), a pronoun resolved to the last person named (pronoun), an office held by a
person (role), or a description of an unnamed source (anonymous). A quote with no attribution of its own
that continues the previous one takes its speaker (context).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from transforms import lexicon
from transforms.mentions import Mention

MAX_QUOTE_CHARS = 3000
_PAIRS = {"“": "”", "«": "»", "„": "“"}
_PRONOUNS = {"he", "she", "him", "her"}
_NON_SPEAKERS = {"it", "this", "that", "which", "what", "who", "there"}
_CONFIDENCE = {"explicit": 0.9, "anonymous": 0.8, "pronoun": 0.75, "role": 0.7, "context": 0.6, "none": 0.0}


@dataclass(frozen=True)
class QuoteSpan:
    open_at: int  # index of the opening mark
    start: int  # first character inside the marks
    end: int  # end of the text inside the marks (exclusive)
    close_at: int | None  # index of the closing mark, None if the paragraph ended first


@dataclass
class Quote:
    start: int
    end: int
    text: str
    is_partial: bool
    speaker_name: str | None
    speaker_local_key: int | None
    attribution_verb: str | None
    method: str
    confidence: float


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quotation mark pairs, paragraph by paragraph; straight quotes pair up in order."""
    spans: list[QuoteSpan] = []
    for para in re.finditer(r"[^\n]+", text):
        p_start, p_text = para.start(), para.group(0)
        i = 0
        while i < len(p_text):
            ch = p_text[i]
            closer = _PAIRS.get(ch) or ('"' if ch == '"' else None)
            if closer is None:
                i += 1
                continue
            j = p_text.find(closer, i + 1)
            if j == -1:
                # An unclosed quote runs to the paragraph end (multi-paragraph quotations).
                if len(p_text) - i - 1 > 0 and ch != '"':
                    spans.append(QuoteSpan(p_start + i, p_start + i + 1, p_start + len(p_text), None))
                break
            if 0 < j - i - 1 <= MAX_QUOTE_CHARS:
                spans.append(QuoteSpan(p_start + i, p_start + i + 1, p_start + j, p_start + j))
            i = j + 1
    return spans


def _is_partial(text: str, span: QuoteSpan) -> bool:
    """A fragment quoted inside the writer's own sentence, as opposed to a quoted sentence."""
    inner = text[span.start:span.end].lstrip()
    if not inner or not inner[0].isupper():
        return True
    before = text[max(0, span.open_at - 200):span.open_at]
    before = before[before.rfind("\n") + 1:].rstrip()
    if not before:
        return False
    if before.endswith((":", ",", ".", "!", "?", "—", "–")):
        return False
    return True


def _inside(token: Token, spans: list[QuoteSpan]) -> bool:
    return any(s.start <= token.idx < s.end for s in spans)


def _mention_at(mentions: list[Mention], start: int, end: int, labels: set[str] | None = None) -> Mention | None:
    hits = [m for m in mentions if m.start < end and start < m.end and (labels is None or m.label in labels)]
    return max(hits, key=lambda m: m.end - m.start) if hits else None


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    return None


def _speech_governor(tokens: list[Token], spans: list[QuoteSpan]) -> tuple[Token, Token] | None:
    """Walk up from the quote to the first speech verb/noun with a speaker: (predicate, speaker head)."""
    frontier = [t for t in tokens if not (t.head in tokens) or t.head == t]
    seen: set[int] = set()
    for token in frontier:
        node = token
        for _ in range(12):
            if node.i in seen and node is not token:
                break
            seen.add(node.i)
            if not _inside(node, spans):
                if node.pos_ in {"VERB", "AUX"}:
                    subject = _subject(node)
                    if node.lemma_.lower() in lexicon.SPEECH_VERBS and subject is not None \
                            and subject.lower_ not in _NON_SPEAKERS:
                        return node, subject
                if node.pos_ == "NOUN" and node.lemma_.lower() in lexicon.SPEECH_NOUNS:
                    for child in node.children:
                        if child.dep_ == "poss":
                            return node, child
                        if child.dep_ == "prep" and child.lower_ in {"from", "by"}:
                            objects = [c for c in child.children if c.dep_ == "pobj"]
                            if objects:
                                return node, objects[0]
            if node.head == node:
                break
            node = node.head
    return None


def _nearby_speech_verb(sentence: Span, spans: list[QuoteSpan], anchor: int) -> tuple[Token, Token] | None:
    """A speech verb with a subject elsewhere in the sentence, outside any quote ("…," said X)."""
    candidates = []
    for token in sentence:
        if _inside(token, spans) or token.lemma_.lower() not in lexicon.SPEECH_VERBS or token.pos_ not in {"VERB", "AUX"}:
            continue
        subject = _subject(token)
        if subject is None or subject.lower_ in _NON_SPEAKERS or _inside(subject, spans):
            continue
        candidates.append((abs(token.idx - anchor), token, subject))
    if not candidates:
        for token in sentence:  # "According to X, …"
            if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
                objects = [c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"]
                if objects and not _inside(objects[0], spans):
                    return token, objects[0]
        return None
    _, verb, subject = min(candidates, key=lambda c: c[0])
    return verb, subject


def _phrase(head: Token) -> tuple[int, int, str]:
    """Character span and text of the noun phrase headed by `head` (relative clauses dropped)."""
    tokens = [t for t in head.subtree if not any(a.dep_ in {"relcl", "acl"} and a != head for a in t.ancestors
                                                  if a in head.subtree and a.i != head.i)]
    tokens = [t for t in tokens if not t.is_punct] or [head]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return start, end, head.doc.text[start:end]


def _last_person_before(mentions: list[Mention], position: int) -> Mention | None:
    people = [m for m in mentions if m.label == "PERSON" and m.end <= position and m.text_field == "body"]
    return people[-1] if people else None


def _resolve_speaker(head: Token, mentions: list[Mention], quote_start: int
                     ) -> tuple[str | None, int | None, str]:
    """(speaker_name, local entity key, method) for the subject of a speech predicate."""
    if head.lower_ in _PRONOUNS:
        person = _last_person_before(mentions, head.idx)
        if person is not None:
            return person.surface, person.local_key, "pronoun"
        return None, None, "none"
    start, end, text = _phrase(head)
    named = _mention_at(mentions, head.idx, head.idx + len(head.text), {"PERSON", "ORG", "GPE", "NORP"}) \
        or _mention_at(mentions, start, end, {"PERSON"})
    if named is not None and named.kind == "role":
        return named.surface, named.local_key, "role"
    if named is not None and (named.label == "PERSON" or head.pos_ == "PROPN"):
        return named.surface, named.local_key, "explicit"
    if head.lemma_.lower() in lexicon.ROLE_HEADS and any(c.dep_ == "poss" for c in head.children):
        return text, None, "role"
    if head.pos_ == "PROPN" and named is None:
        return text, None, "explicit"
    return text, None, "anonymous"


def extract_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """All quotations in a parsed body, with speakers."""
    text = doc.text
    spans = find_quote_spans(text)
    quotes: list[Quote] = []
    previous: Quote | None = None
    for span in spans:
        quote_text = text[span.start:span.end]
        tokens = [t for t in doc if span.start <= t.idx < span.end]
        if not tokens:
            continue
        governor = _speech_governor(tokens, spans)
        if governor is None:
            anchor = span.close_at if span.close_at is not None else span.end
            sentence = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
            sents = {tokens[0].sent, tokens[-1].sent}
            if sentence is not None:
                sents.add(sentence.sent)
            for sent in sorted(sents, key=lambda s: s.start):
                governor = _nearby_speech_verb(sent, spans, anchor)
                if governor:
                    break
        if governor is not None:
            predicate, head = governor
            name, key, method = _resolve_speaker(head, mentions, span.start)
            verb = predicate.lemma_.lower() if predicate.lower_ != "according" else "according to"
        elif previous is not None and previous.method != "none" and "\n" not in text[previous.end:span.open_at]:
            name, key, verb, method = previous.speaker_name, previous.speaker_local_key, previous.attribution_verb, "context"
        else:
            name, key, verb, method = None, None, None, "none"
        quote = Quote(span.start, span.end, quote_text, _is_partial(text, span), name, key, verb, method,
                      _CONFIDENCE[method])
        quotes.append(quote)
        previous = quote
    return quotes

"""Quotations and who said them.

Quote spans come from quotation marks (curly or straight). The speaker is found by a cascade, most
reliable first, because a small parser often mis-parses the long, punctuated sentences of news:

1. the attribution clause right after the quote: `“…,” Chief Ana Lind said Monday.`, `“…,” said Lind`,
   `“…” ― Ana Lind` (a dash signature);
2. the attribution clause right before it: `Lind said in a statement: “…”`, `Said Lind: “…”`;
3. the dependency parse: the speech verb, speech noun or "according to" governing the quote, and its
   subject (`Lind called the plan “a disaster”`); for a fragment quoted inside a sentence, verbs that
   characterise ("branded", "likened", "dismissed … as") count too;
4. a quote with no attribution of its own that continues the previous one takes its speaker (context).

The speaker phrase is then resolved: a named entity (explicit), a pronoun resolved to the person the
text was talking about (pronoun, see `transforms.extract.coref`), an office held by a person (role), or a
description of an unnamed source (anonymous). A quote left without a speaker says why in
`speaker_status`: a short fragment with no speech cue is a scare quote or a term, not a lost quote.
"""

from __future__ import annotations

from bisect import bisect_left
import re
from dataclasses import dataclass, replace

import numpy as np

from spacy.tokens import Doc, Token

from transforms import lexicon
from transforms.extract.doctext import doc_text
from transforms.extract.coref import PronounResolver
from transforms.extract.mentions import Mention
from transforms.extract.speaker_ranker import (ArticleNames, Candidate, Layout, Ranker, load_ranker,
                                               quote_candidates)

MAX_QUOTE_CHARS = 3000
SCARE_QUOTE_MAX_WORDS = 6  # a fragment this short with no speech cue is a term, not a quotation
_PAIRS = {"“": ("”",), "«": ("»",), "„": ("“", "”"), "``": ("''",), "‘": ("’",)}  # opening mark -> closing marks
_TRANSCRIPT_LABEL = re.compile(r"[\"“]?([A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+){0,2}):\s")  # "PENCE: …", "MARY LOU RAY: …"
_NESTING = {"“", "«"}  # marks whose opening and closing forms differ, so a nested pair can be counted
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINE_OPENS_QUOTE = re.compile(r"\n[ \t]*(?:[“«„‘\"]|``)")
_PRONOUNS = {"he", "she", "him", "her"}
_PLURAL_PRONOUNS = {"they", "we"}
_NON_SPEAKERS = {"it", "this", "that", "which", "what", "who", "there", "i", "you"}
_CONFIDENCE = {"explicit": 0.9, "anonymous": 0.8, "pronoun": 0.75, "role": 0.7, "description": 0.7, "context": 0.6,
               "none": 0.0}
_DASHES = "―—–"
# Tokens that may stand inside a speaker phrase besides nouns and names ("Rep. Jo Ray (D-Md.), the
# panel's ranking member,").
_PHRASE_GLUE = {"'s", "’s", "'", "’", "of", "the", "a", "an", "and", "(", ")", "-", ",", ".", "for", "at", "in"}
_PHRASE_POS = {"PROPN", "NOUN", "ADJ", "DET", "NUM", "PART", "PRON"}
MAX_SPEAKER_TOKENS = 24


@dataclass(frozen=True)
class QuoteSpan:
    open_at: int  # index of the opening mark
    start: int  # first character inside the marks
    end: int  # end of the text inside the marks (exclusive)
    close_at: int | None  # index of the closing mark's last character, None if the paragraph ended first


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
    speaker_status: str = "attributed"


@dataclass(frozen=True)
class Cue:
    """What attributes a quote: the predicate (verb, noun or "according") and the speaker phrase."""

    predicate: Token
    speaker_start: int  # character span of the speaker phrase
    speaker_end: int
    head: Token  # the phrase's head token (a pronoun, a name, a noun)


def _opener_at(text: str, i: int) -> str | None:
    """The opening mark at i, if any. A ‘ glued to a word or before a digit is an apostrophe ("rock ‘n’",
    "‘90s"), not a quotation."""
    if text.startswith("``", i):
        return "``"
    ch = text[i]
    if ch == "‘":
        glued = i > 0 and text[i - 1].isalnum()
        return None if glued or i + 1 >= len(text) or text[i + 1].isdigit() or text[i + 1].isspace() else ch
    return ch if ch in _PAIRS or ch == '"' else None


def _closing(text: str, opener: str, k: int, line_end: int) -> tuple[int, int] | None:
    """(position, length) of the mark closing `opener` from k on. A straight quote closes on its own line; the
    other marks may close on a later line (a quotation wrapped over lines, one sentence a line), unless a
    blank line, a line opening a new quotation or another opening mark of the same kind comes first."""
    if opener == '"':
        j = text.find('"', k, line_end)
        return (j, 1) if j != -1 else None
    limit = min(len(text), k + MAX_QUOTE_CHARS + 2)
    pos = k
    while pos < limit:
        found = [(j, len(c)) for c in _PAIRS[opener] if (j := text.find(c, pos, limit)) != -1]
        if not found:
            return None
        j, size = min(found)
        if opener == "‘" and j + 1 < len(text) and text[j + 1].isalpha():
            pos = j + 1  # an apostrophe inside a word ("don’t")
            continue
        if opener in _NESTING and (outer := _outer_close(text, opener, k, line_end)) is not None:
            return outer, 1
        if j > line_end:
            between = text[line_end:j]
            if _BLANK_LINE.search(between) or _LINE_OPENS_QUOTE.search(between) or opener in between:
                return None
        return j, size
    return None


def _outer_close(text: str, opener: str, k: int, line_end: int) -> int | None:
    """The closing mark of a quotation with a quotation of the same kind inside it (“… he calls “hell” …”),
    found by counting marks on the line; None when the marks on the line do not balance (then the first
    closing mark ends it, as before)."""
    closer, depth = _PAIRS[opener][0], 1
    nested = False
    for j in range(k, line_end):
        if text[j] == opener:
            depth, nested = depth + 1, True
        elif text[j] == closer:
            depth -= 1
            if depth == 0:
                return j if nested else None
    return None


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    """The quoted text without the spaces some conventions put inside the marks (`` It was, '')."""
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quotation mark pairs in every convention (“ ”, « », „ “, `` '', ‘ ’, straight quotes paired in order
    on their line). No span is longer than MAX_QUOTE_CHARS, closed or not: an opening mark never closed
    before a long paragraph is a stray mark, not a quotation of the whole paragraph. An unclosed quote runs
    to its line's end (multi-paragraph quotations reopen each paragraph)."""
    spans: list[QuoteSpan] = []
    i = 0
    while i < len(text):
        opener = _opener_at(text, i)
        if opener is None:
            i += 1
            continue
        line_end = text.find("\n", i)
        line_end = len(text) if line_end == -1 else line_end
        start = i + len(opener)
        closing = _closing(text, opener, start, line_end)
        if closing is None:
            if opener != '"' and 0 < line_end - start <= MAX_QUOTE_CHARS and text[start:line_end].strip():
                spans.append(QuoteSpan(i, *_inner(text, start, line_end), None))
                i = line_end
                continue
            i = start  # a stray mark: quotations later in the paragraph still count
            continue
        j, size = closing
        inner = _inner(text, start, j)
        if 0 < j - start <= MAX_QUOTE_CHARS and inner[1] - inner[0] >= (2 if opener == "‘" else 1):  # not ‘n’
            spans.append(QuoteSpan(i, *inner, j + size - 1))
        i = j + size
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
    if before.endswith((":", ",", ".", "!", "?", "—", "–", "―")):
        return False
    return True


def _inside(token: Token, spans: list[QuoteSpan]) -> bool:
    return any(s.start <= token.idx < s.end for s in spans)


_AS_CHARACTERISATION = re.compile(r"\bas(?: being)?(?: \w+)?(?: an?| the)?\s*$", re.IGNORECASE)


def _is_speech_verb(token: Token, partial: bool | str = False) -> bool:
    """A verb of saying; for a quoted fragment also a verb that characterises, and any verb when the
    fragment is what something is called "as"."""
    lemma = token.lemma_.lower()
    if partial == "as" and token.pos_ == "VERB" and lemma not in {"be", "have"}:
        return True
    if lemma in lexicon.SPEECH_VERBS or (partial and lemma in lexicon.CHARACTERIZATION_VERBS):
        return token.pos_ in {"VERB", "AUX"} or token.tag_.startswith("VB")
    return False


def _subject(verb: Token, climb: bool = True) -> Token | None:
    """The verb's subject; a conjoined verb ("said X and added …") or a participle ("…, saying …")
    shares the subject of the verb it hangs on (unless `climb` is off); a participle that modifies a name
    ("footage of Ana Lind asking, “…”") has that name for its subject."""
    for _ in range(3 if climb else 1):
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
        if climb and verb.tag_ == "VBG" and verb.dep_ == "acl" and verb.head.pos_ == "PROPN":
            return verb.head
        if not (verb.dep_ == "conj" or verb.tag_ == "VBG" and verb.dep_ in {"advcl", "xcomp", "pcomp"}) \
                or verb.head is verb:
            return None
        verb = next((a for a in verb.ancestors if a.pos_ in {"VERB", "AUX"}), verb.head)
    return None


# --- 1 and 2: attribution clauses next to the quote ---------------------------------------------------

def _is_phrase_token(token: Token) -> bool:
    """A token that can belong to a speaker phrase: a noun-phrase word, or a capitalised word the tagger
    took for something else ("Tulsa police Chief …" with Tulsa tagged as a verb)."""
    if token.pos_ in _PHRASE_POS or token.lower_ in _PHRASE_GLUE or token.pos_ == "ADP":
        return not (token.pos_ == "PRON" and token.lower_ in _NON_SPEAKERS | {"who", "whom", "whose"})
    return token.text[:1].isupper() and token.is_alpha


def _phrase_after(doc: Doc, i: int) -> tuple[int, int] | None:
    """Token range of the speaker phrase starting at token i, up to its first comma-closed apposition."""
    j = i
    while j < len(doc) and j - i < MAX_SPEAKER_TOKENS and _is_phrase_token(doc[j]) and doc[j].text != ",":
        if doc[j].text == "." and not (j > i and doc[j - 1].text[:1].isupper() and len(doc[j - 1]) <= 4):
            break  # an abbreviation point ("Rep.") is part of the phrase; a full stop ends it
        j += 1
    while j > i and doc[j - 1].lower_ in _PHRASE_GLUE:
        j -= 1
    return (i, j) if j > i and any(doc[k].pos_ in {"PROPN", "NOUN", "PRON"} or doc[k].text[:1].isupper()
                                   for k in range(i, j)) else None


_PARTY_TAG = re.compile(r"^\(?[RDI]-[A-Z][a-z]{0,3}\.?\)?$")  # "R-Ky.", "(D-Md.)"


def _phrase_before(doc: Doc, end: int, floor: int) -> tuple[int, int] | None:
    """Token range of the speaker phrase ending right before token `end` (exclusive), not before `floor`.
    An apposition between commas is skipped back over: "Jo Ray, the panel's chair, said"."""
    j = end
    while j > floor and doc[j - 1].pos_ in {"ADV", "AUX", "PART"} and doc[j - 1].lower_ not in {"'s", "’s"}:
        j -= 1  # "also said", "has said", "would later say"
    stop = i = j
    while i > floor and stop - i < MAX_SPEAKER_TOKENS:
        token = doc[i - 1]
        if token.text == ",":
            segment = doc[i:stop].text
            # Go on past a comma only over an apposition ("the panel's chair", "a physicist", "R-Ky.").
            if not (doc[i].lower_ in {"the", "a", "an"} or doc[i].text[:1].islower() or _PARTY_TAG.match(segment)
                    or doc[i].text == "("):
                break
        elif not _is_phrase_token(token) or token.pos_ == "ADP" and token.lower_ not in {"of", "for", "at"} \
                or token.text in {".", "!", "?", ":", ";"}:
            break
        i -= 1
    if i > floor and doc[i - 1].pos_ == "ADP":
        return None  # "marching through the streets chanted": an object of a preposition, not a subject
    while i < stop and (doc[i].lower_ in _PHRASE_GLUE or doc[i].pos_ == "ADP"):
        i += 1
    if i == stop or not any(t.pos_ in {"PROPN", "NOUN", "PRON"} or t.text[:1].isupper() for t in doc[i:stop]):
        return None
    return i, stop


def _head_of(doc: Doc, start: int, end: int, mentions: list[Mention]) -> Token:
    """The token that stands for the phrase: a pronoun, the person it names before its first comma or
    preposition ("IMF chief economist Jo Ray of …" -> Ray), else its last name or noun there."""
    if end - start == 1 and doc[start].lower_ in _PRONOUNS | _PLURAL_PRONOUNS:
        return doc[start]
    stop = next((k for k in range(start + 1, end) if doc[k].text == "," or doc[k].pos_ == "ADP"), end)
    lo, hi = doc[start].idx, doc[stop - 1].idx + len(doc[stop - 1])
    inside = [m for m in mentions if m.text_field == "body" and lo <= m.start < hi
              and not doc_text(doc).startswith(("'s", "’s"), m.end)]  # a possessor is not the head
    if inside:
        best = max(inside, key=lambda m: (m.label == "PERSON", m.start))
        span = doc.char_span(best.start, best.end, alignment_mode="expand")
        if span is not None:
            return span[-1]
    nouns = [doc[k] for k in range(start, stop) if doc[k].pos_ in {"NOUN", "PROPN"}]
    return nouns[-1] if nouns else doc[stop - 1]


def _apposed_person(doc: Doc, comma: int, mentions: list[Mention]) -> tuple[int, int] | None:
    """Token range of a person's name set off by commas right after a phrase ("the vice president, Jo Ray,")."""
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return None
    at = doc[comma + 1].idx
    person = next((m for m in mentions if m.text_field == "body" and m.start == at and m.label == "PERSON"), None)
    if person is None:
        return None
    start, end = _mention_tokens(doc, person)
    return (start, end) if end < len(doc) and doc[end].text == "," else None


def _cue(doc: Doc, predicate: Token, start: int, end: int, mentions: list[Mention]) -> Cue:
    first_comma = next((k for k in range(start, end + 1) if k < len(doc) and doc[k].text == ","), end)
    if not any(m.label == "PERSON" and doc[start].idx <= m.start < doc[first_comma - 1].idx + 1 for m in mentions) \
            and (named := _apposed_person(doc, first_comma, mentions)) is not None:
        start, end = named  # the name wins over the role it is set beside
        first_comma = end
    head = _head_of(doc, start, end, mentions)
    last = doc[first_comma - 1]
    return Cue(predicate, doc[start].idx, last.idx + len(last.text), head)


def _token_at(doc: Doc, char: int) -> int | None:
    """Index of the first token starting at or after a character offset."""
    span = doc.char_span(char, len(doc_text(doc)), alignment_mode="expand") if 0 <= char < len(doc_text(doc)) else None
    if span is None or not len(span):
        return None
    i = span.start if doc[span.start].idx >= char else span.start + 1
    return i if i < len(doc) else None


def _after_quote(doc: Doc, span: QuoteSpan, spans: list[QuoteSpan], mentions: list[Mention]) -> Cue | None:
    """`“…,” Ana Lind said.` / `“…,” said Ana Lind, a physicist.` / `“…” ― Ana Lind`."""
    if span.close_at is None:
        return None
    text = doc_text(doc)
    rest = text[span.close_at + 1:span.close_at + 200]
    line_end = rest.find("\n")
    rest = rest if line_end == -1 else rest[:line_end]
    if dash := re.match(r"\s*[" + _DASHES + r"]\s*", rest):  # a signature: “…” ― Name
        at = span.close_at + 1 + dash.end()
        named = [m for m in mentions if m.text_field == "body" and m.start == at and m.label in {"PERSON", "ORG"}]
        i = _token_at(doc, at)
        if named and i is not None:
            return _cue(doc, doc[i], *_mention_tokens(doc, named[0]), mentions)
        signature = rest[dash.end():].strip()
        words = signature.split()
        if i is not None and 2 <= len(words) <= 5 and all(w[:1].isupper() or len(w) <= 2 for w in words) \
                and words[0][:1].isupper() and (phrase := _phrase_after(doc, i)) is not None:
            return _cue(doc, doc[i], *phrase, mentions)
        return None
    inner = text[span.start:span.end].rstrip()
    closes_clause = inner.endswith((",", ".", "?", "!", "…", "-", "—")) or rest.startswith(",")
    if not closes_clause:
        return None
    i = _token_at(doc, span.close_at + 1)
    if i is None:
        return None
    if doc[i].text == ",":
        i += 1
    if i >= len(doc) or _inside(doc[i], spans):
        return None
    full_stop = inner.endswith(".") and not rest.startswith(",")
    if _is_speech_verb(doc[i]):  # inverted: said Ana Lind
        if not full_stop and (phrase := _phrase_after(doc, i + 1)) is not None:
            return _cue(doc, doc[i], *phrase, mentions)
        return None
    # Subject first: scan a speaker phrase up to its verb.
    k = i
    while k < len(doc) and k - i <= MAX_SPEAKER_TOKENS and not _inside(doc[k], spans):
        token = doc[k]
        if _is_speech_verb(token) and k > i and not (token.text[:1].isupper() and token.pos_ == "PROPN"):
            if full_stop and not _ends_sentence(doc, k + 1):
                return None  # “… done.” Lee said that … : a new sentence, not this quote's attribution
            phrase = _phrase_before(doc, k, i)
            return _cue(doc, token, *phrase, mentions) if phrase is not None and phrase[0] == i else None
        if token.text in {".", "!", "?", ";", ":"} and not (k > i and doc[k - 1].text[:1].isupper()
                                                              and len(doc[k - 1]) <= 4 and token.text == "."):
            return None
        if not (_is_phrase_token(token) or token.pos_ in {"ADV", "AUX"}):
            return None
        k += 1
    return None


def _ends_sentence(doc: Doc, i: int) -> bool:
    """Only a time word or two stand between token i and the end of its sentence ("said Monday.")."""
    for k in range(i, min(len(doc), i + 4)):
        if doc[k].text in {".", "!", "?"} or doc[k].text.startswith("\n"):
            return True
        if not (doc[k].ent_type_ in {"DATE", "TIME"} or doc[k].pos_ == "ADV"):
            return False
    return i >= len(doc)


def _previous_attribution(doc: Doc, span: QuoteSpan, spans: list[QuoteSpan], mentions: list[Mention]) -> Cue | None:
    """`The vote may slip, Lee said. “We are not ready.”`: a quote opening the sentence after one that ends
    with its attribution continues that speaker's statement (same paragraph)."""
    text = doc_text(doc)
    before = text[text.rfind("\n", 0, span.open_at) + 1:span.open_at].rstrip()
    if not before.endswith(".") or _is_partial(text, span):
        return None
    end = _token_at(doc, len(text[:span.open_at].rstrip()) - 1)  # the full stop before the quote
    if end is None:
        return None
    k = end - 1
    while k > 0 and (doc[k].ent_type_ in {"DATE", "TIME"} or doc[k].pos_ == "ADV") and end - k < 4:
        k -= 1
    verb = doc[k]
    if not _is_speech_verb(verb) or _inside(verb, spans):
        return None
    if (phrase := _phrase_before(doc, k, verb.sent.start)) is not None:
        return _cue(doc, verb, *phrase, mentions)
    return None


def _mention_tokens(doc: Doc, mention: Mention) -> tuple[int, int]:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return (span.start, span.end) if span is not None else (0, 0)


def _before_quote(doc: Doc, span: QuoteSpan, spans: list[QuoteSpan], mentions: list[Mention]) -> Cue | None:
    """`Ana Lind said in a statement: “…”`, `Lind told reporters, “…”`, `Said Lind: “…”`."""
    text = doc_text(doc)
    before = text[:span.open_at].rstrip()
    gap = text[len(before):span.open_at]
    if before.endswith((":", ",", "-", "—", "–")) and ("\n" not in gap or before.endswith(":")):
        pass  # "Lee said:", "Lee told reporters,", "Lee asked the crowd -", a "Lee continued:" line above
    elif not (before and "\n" not in gap):
        return None
    last = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if last is None:
        return None
    end = last.end - 1  # the token holding the last character before the quote
    line_start = text.rfind("\n", 0, len(before)) + 1
    floor_char = max([line_start] + [s.close_at + 1 for s in spans if s.close_at is not None and s.close_at < span.open_at])
    punctuated = before.endswith((":", ",", "-", "—", "–"))
    window = doc[max(0, end - 14):end] if punctuated else doc[max(0, end - 13):end + 1]
    verbs = [t for t in window if t.idx >= floor_char and not _inside(t, spans)]
    spoken = [t for t in verbs if _is_speech_verb(t)]
    if not spoken and before.endswith(":") and end >= 1 and doc[end - 1].lemma_.lower() in lexicon.SPEECH_NOUNS:
        noun = doc[end - 1]  # "Lee is rolling out a new message: “…”"
        owner = next((c for c in noun.children if c.dep_ == "poss"), None) or _subject(noun.head)
        if owner is not None and not _inside(owner, spans) and _can_speak(owner):
            start, stop = _phrase(owner)
            return Cue(noun, start, stop, owner)
    if not spoken:
        return None
    verb = spoken[-1]
    if not punctuated and verb.i != end:
        return None  # no punctuation: only a verb right before the quote ("the crowd chanted “…”")
    # Nothing but adverbs, prepositional phrases and objects between the verb and the quote.
    if any(t.pos_ == "VERB" and not _is_speech_verb(t) and not t.text[:1].isupper() for t in doc[verb.i + 1:end]):
        return None
    floor = max(_token_at(doc, floor_char) or 0, verb.sent.start)
    subject = _subject(verb)
    if subject is not None and not _inside(subject, spans) and subject.i < verb.i and subject.i >= floor:
        left = min(subject.left_edge.i, subject.i)
        phrase = _phrase_after(doc, max(left, floor))
        if phrase is not None and phrase[0] <= subject.i < phrase[1] + 1:
            return _cue(doc, verb, *phrase, mentions)
    if (phrase := _phrase_before(doc, verb.i, floor)) is not None:
        return _cue(doc, verb, *phrase, mentions)
    if verb.i + 1 < end and (phrase := _phrase_after(doc, verb.i + 1)) is not None:  # Said Ana Lind:
        return _cue(doc, verb, *phrase, mentions)
    return None


# --- 3: the dependency parse ----------------------------------------------------------------------------

def _speech_governor(tokens: list[Token], spans: list[QuoteSpan], partial: bool | str) -> tuple[Token, Token] | None:
    """Walk up from the quote to the first speech verb/noun with a speaker: (predicate, speaker head)."""
    frontier = [t for t in tokens if not (t.head in tokens) or t.head == t]
    seen: set[int] = set()
    fallback: tuple[Token, Token] | None = None
    for token in frontier:
        node = token
        for _ in range(12):
            if node.i in seen and node is not token:
                break
            seen.add(node.i)
            if not _inside(node, spans):
                if node.pos_ in {"VERB", "AUX"}:
                    speaks = _is_speech_verb(node)
                    subject = _subject(node, climb=speaks)
                    if not speaks and partial and _is_speech_verb(node, partial):
                        # A characterising verb attributes the fragment in the active voice only
                        # ("Described as a “traitor,” Lee was …" names no speaker); any verb does when it
                        # is the first one above an "as “…”" fragment.
                        speaks = subject is not None and subject.dep_ == "nsubj"
                    if speaks and subject is not None \
                            and subject.lower_ not in _NON_SPEAKERS and not _inside(subject, spans):
                        if _can_speak(subject):
                            return node, subject
                        fallback = fallback or (node, subject)
                    if partial == "as" and node.lemma_.lower() != "be":
                        partial = True
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
    return fallback


def _can_speak(subject: Token) -> bool:
    """A subject that can be a source: a name, a pronoun, or a noun for people or institutions. "The ad
    suggests …" inside "Lee said the ad suggests “…”" leaves the quote to Lee."""
    if subject.pos_ in {"PROPN", "PRON"} or subject.ent_type_ or subject.text[:1].isupper():
        return True
    lemma = subject.lemma_.lower()
    return lemma in lexicon.ANONYMOUS_HEADS or lemma in lexicon.ROLE_HEADS or lemma in lexicon.SPEAKER_NOUNS


def _nearby_speech_verb(sentence, spans: list[QuoteSpan], anchor: int) -> tuple[Token, Token] | None:
    """A speech verb with a subject elsewhere in the sentence, outside any quote ("…," said X)."""
    candidates = []
    for token in sentence:
        if _inside(token, spans) or not _is_speech_verb(token):
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


def _phrase(head: Token) -> tuple[int, int]:
    """Character span of the noun phrase headed by `head` (relative clauses dropped)."""
    tokens = [t for t in head.subtree if not any(a.dep_ in {"relcl", "acl"} and a != head for a in t.ancestors
                                                  if a in head.subtree and a.i != head.i)]
    tokens = [t for t in tokens if not t.is_punct] or [head]
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _dependency_cue(doc: Doc, span: QuoteSpan, spans: list[QuoteSpan], tokens: list[Token], partial: bool | str
                    ) -> Cue | None:
    governor = _speech_governor(tokens, spans, partial)
    if governor is None:
        anchor = span.close_at if span.close_at is not None else span.end
        sentence = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
        sents = {tokens[0].sent, tokens[-1].sent}
        if sentence is not None:
            sents.add(sentence.sent)
        for sent in sorted(sents, key=lambda s: s.start):
            if governor := _nearby_speech_verb(sent, spans, anchor):
                break
    if governor is None:
        return None
    predicate, head = governor
    start, end = _phrase(head)
    return Cue(predicate, start, end, head)


# --- speakers ---------------------------------------------------------------------------------------------

def _mention_at(mentions: list[Mention], start: int, end: int, labels: set[str] | None = None,
                text: str | None = None) -> Mention | None:
    """The mention overlapping a span (a person first); with `text`, possessors ("Lee's aide") are skipped."""
    hits = [m for m in mentions if m.text_field == "body" and m.start < end and start < m.end
            and (labels is None or m.label in labels) and not (text and text.startswith(("'s", "’s"), m.end))]
    return min(hits, key=lambda m: (m.label != "PERSON", m.start)) if hits else None


def _resolve_speaker(doc: Doc, cue: Cue, mentions: list[Mention], previous: list[Quote],
                     pronouns: PronounResolver) -> tuple[str | None, int | None, str]:
    """(speaker_name, local entity key, method) for the phrase of an attribution cue."""
    head = cue.head
    if head.lower_ in _PRONOUNS:
        recent = tuple(q.speaker_local_key for q in previous if q.speaker_local_key is not None)
        key = pronouns.resolve(head.idx, recent)
        named = [m for m in mentions if m.local_key == key and m.text_field == "body" and m.start < head.idx]
        if key is not None and named:
            return named[-1].surface, key, "pronoun"
        return None, None, "none"
    if head.lower_ in _PLURAL_PRONOUNS:
        return None, None, "none"
    start, end = cue.speaker_start, cue.speaker_end
    text = doc_text(doc)[start:end]
    named = _mention_at(mentions, head.idx, head.idx + len(head.text), {"PERSON", "ORG", "GPE", "NORP"}) \
        or _mention_at(mentions, start, end, {"PERSON"}, doc_text(doc))
    if named is not None and named.kind in {"role", "description"}:
        return named.surface, named.local_key, named.kind
    if named is not None and named.kind != "byline" and (named.label == "PERSON" or head.pos_ == "PROPN"
                                                         or head.text[:1].isupper()):
        return named.surface, named.local_key, "explicit"
    if head.lemma_.lower() in lexicon.ROLE_HEADS and ("'s" in text or "’s" in text or text[:1].isupper()):
        return text, None, "role"
    if head.pos_ == "PROPN" and named is None:
        return text, None, "explicit"
    return text, None, "anonymous"


def _status(method: str, partial: bool, words: int) -> str:
    if method != "none":
        return "attributed"
    if partial and words <= SCARE_QUOTE_MAX_WORDS:
        return "scare_quote"  # a term or phrase the writer sets apart, not a quotation
    return "no_speech_cue"


def _transcript_speaker(line: str, mentions: list[Mention]) -> Mention | None:
    """The person a transcript line names in capitals before its words ("PENCE: Well, look, …"): what it
    quotes with no cue of its own is theirs. Only when the article names a person of that surname; a
    capitalised label of anything else ("UPDATE:") is no speaker."""
    label = _TRANSCRIPT_LABEL.match(line)
    if label is None:
        return None
    surname = label.group(1).split()[-1].lower()
    people = [m for m in mentions if m.text_field == "body" and m.label == "PERSON"
              and m.surface.split()[-1].lower() == surname]
    return max(people, key=lambda m: len(m.surface)) if people else None


def _follow_on(text: str, previous: Quote, span: QuoteSpan) -> bool:
    """A paragraph that is only this quote, right after the paragraph of an attributed quote: the same
    speaker goes on (news puts a long statement in several paragraphs)."""
    between = text[previous.end:span.open_at]
    line_end = text.find("\n", span.end)
    after = text[span.end if span.close_at is None else span.close_at + 1:len(text) if line_end == -1 else line_end]
    breaks = between.count("\n")
    return 1 <= breaks <= 2 and not between[between.rfind("\n") + 1:].strip() and not after.strip(" .,;")


def _cascade(doc: Doc, span: QuoteSpan, spans: list[QuoteSpan], tokens: list[Token], quotes: list[Quote],
             mentions: list[Mention], pronouns: PronounResolver) -> tuple[Quote, tuple[int, int] | None]:
    """The rules' attribution of one quote, and where its speaker phrase stands (None without one)."""
    text = doc_text(doc)
    previous = quotes[-1] if quotes else None
    partial = _is_partial(text, span)
    if partial and _AS_CHARACTERISATION.search(text[max(0, span.open_at - 24):span.open_at]):
        partial = "as"
    if partial:  # a fragment belongs to its own clause first ("as Lee went on about “…,” Ray said")
        cue = _dependency_cue(doc, span, spans, tokens, partial) or _after_quote(doc, span, spans, mentions) \
            or _before_quote(doc, span, spans, mentions)
    else:
        cue = _after_quote(doc, span, spans, mentions) or _before_quote(doc, span, spans, mentions) \
            or _dependency_cue(doc, span, spans, tokens, partial)
    where = None
    line = text[text.rfind("\n", 0, span.open_at) + 1:]
    if cue is None and (labelled := _transcript_speaker(line, mentions)) is not None:
        name, key, verb, method = labelled.surface, labelled.local_key, None, "explicit"
    elif cue is not None:
        name, key, method = _resolve_speaker(doc, cue, mentions, quotes, pronouns)
        predicate = cue.predicate
        verb = ("according to" if predicate.lower_ == "according" else
                predicate.lemma_.lower() if predicate.pos_ in {"VERB", "AUX", "NOUN"} else None)
        where = (cue.head.idx, cue.head.idx + len(cue.head.text)) if method == "pronoun" else \
            (cue.speaker_start, cue.speaker_end)
    elif not partial and (cue := _previous_attribution(doc, span, spans, mentions)) is not None:
        name, key, _ = _resolve_speaker(doc, cue, mentions, quotes, pronouns)
        verb, method = cue.predicate.lemma_.lower(), "context" if name else "none"
    elif not partial and previous is not None and previous.method != "none" \
            and ("\n" not in text[previous.end:span.open_at] or _follow_on(text, previous, span)):
        name, key, verb, method = previous.speaker_name, previous.speaker_local_key, previous.attribution_verb, "context"
    else:
        name, key, verb, method = None, None, None, "none"
    quote_text = text[span.start:span.end]
    return Quote(span.start, span.end, quote_text, bool(partial), name, key, verb, method, _CONFIDENCE[method],
                 _status(method, bool(partial), len(quote_text.split()))), where


def _ranked(quote: Quote, candidates: list[Candidate], ranker: Ranker) -> Quote:
    """The quote with the ranker's speaker: the best candidate, where the cascade found a speaker or the best
    candidate is likely enough on its own (a quoted fragment needs more: most are terms, not quotations)."""
    uncued = quote.method == "none"
    scores = ranker.scores(candidates, uncued)
    if not len(scores):
        return quote
    best = candidates[int(np.argmax(scores))]
    if best.features.get("cascade_pick"):
        return quote
    if uncued and float(np.max(scores)) < (ranker.partial_threshold if quote.is_partial else ranker.threshold):
        return quote
    method = "explicit" if best.local_key is not None else "anonymous"  # a described source, unnamed
    return replace(quote, speaker_name=best.name, speaker_local_key=best.local_key, method=method,
                   confidence=round(float(np.max(scores)), 3), speaker_status="attributed")


def quotes_with_candidates(doc: Doc, mentions: list[Mention], ranker: Ranker | None
                           ) -> list[tuple[Quote, list[Candidate]]]:
    """Every quotation, attributed (by the ranker where one is given), with its candidate speakers."""
    text = doc_text(doc)
    spans = find_quote_spans(text)
    layout = Layout.of(doc)
    names = ArticleNames.of(mentions, layout)
    found: list[tuple[Quote, list[Candidate]]] = []
    pronouns = PronounResolver(doc, mentions)
    starts = [t.idx for t in doc]
    for span in spans:
        tokens = list(doc[bisect_left(starts, span.start):bisect_left(starts, span.end)])
        if not tokens:
            continue
        quotes = [q for q, _ in found]
        quote, where = _cascade(doc, span, spans, tokens, quotes, mentions, pronouns)
        previous_key = quotes[-1].speaker_local_key if quotes else None
        candidates = quote_candidates(doc, layout, names, span.start, span.end, quote.is_partial,
                                      (quote.speaker_name, quote.speaker_local_key, quote.method), where, previous_key)
        found.append((_ranked(quote, candidates, ranker) if ranker is not None else quote, candidates))
    return found


def extract_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """All quotations in a parsed body, with speakers chosen by the committed ranker."""
    return [quote for quote, _ in quotes_with_candidates(doc, mentions, load_ranker())]

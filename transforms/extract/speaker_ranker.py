"""Who said a quote, decided by a ranker learned from annotated news (PolNeAR train) instead of rule order.

The rule cascade in `transforms.extract.quotes` still proposes its speaker; the ranker weighs that proposal
against the other people and organisations named near the quote (same paragraph or the two before), the
previous quote's speaker and a described group that is the subject of the quote's clause ("Protesters
chanted “…”"), and scores each candidate with a logistic model whose features are the cues the rules used
(distance, side of the quote, sentence and paragraph, subject of a speech verb or of the quote's clause,
how the cascade found it). A quote the rules left without a speaker is scored by a second model, fitted on
such quotes, that also says when to leave it alone. The weights are a small committed JSON file
(`models/speaker_ranker.json`, model card beside it), scored with numpy: nothing is trained or downloaded
at run time. `bench/train_speakers.py` retrains it.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token

from transforms import lexicon
from transforms.extract.doctext import doc_text
from transforms.extract.mentions import Mention

MODEL_PATH = Path(__file__).resolve().parent / "models" / "speaker_ranker.json"
CANDIDATE_LABELS = frozenset({"PERSON", "ORG", "NORP"})
PARAGRAPHS_BACK = 2  # candidates are named in the quote's paragraph or the two before it
METHODS = ("explicit", "pronoun", "role", "description", "anonymous", "context")
FEATURES = ("cascade_pick", *(f"method_{m}" for m in METHODS), "previous_speaker", "log_distance",
            "mention_before", "same_sentence", "same_paragraph", "previous_paragraph", "speech_subject",
            "log_mentions", "is_person", "is_role", "named_inside_quote", "nearest", "quote_partial",
            "possessor", "unnamed_pick", "first_in_paragraph", "governs_quote", "lead_subject", "is_description",
            "speech_clause", "log_quote_words", "clause_object")
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_MARKS = " \t\"'“‘«„`"  # quotation marks and spaces before a quote's first word
RELATIVE_TAGS = frozenset({"WP", "WDT"})
OBJECT_DEPS = frozenset({"dobj", "dative", "pobj", "attr", "oprd"})
_CLAUSE_DEPS = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj"})  # not part of a description's name
MAX_DESCRIPTION_TOKENS = 8


@dataclass
class Candidate:
    """A possible speaker of one quote: an entity of the article (local_key) or the cascade's phrase."""

    name: str
    local_key: int | None
    spans: list[tuple[int, int]]  # where the article names it (body character offsets)
    features: dict[str, float] = field(default_factory=dict)

    def vector(self) -> np.ndarray:
        return np.array([self.features.get(name, 0.0) for name in FEATURES], dtype=float)


@dataclass(frozen=True)
class Layout:
    """Sentence and paragraph starts of one body, computed once per article."""

    text: str
    sentences: list[int]
    paragraphs: list[int]

    @staticmethod
    def of(doc: Doc) -> Layout:
        text = doc_text(doc)
        return Layout(text, [s.start_char for s in doc.sents], [0] + [m.end() for m in re.finditer(r"\n+", text)])

    def sentence(self, char: int) -> int:
        return bisect_right(self.sentences, char) - 1

    def paragraph(self, char: int) -> int:
        return bisect_right(self.paragraphs, char) - 1


def _speech_subject(doc: Doc, start: int, end: int) -> bool:
    """The mention is the subject of a verb of saying ("Lee said", "Lee, the chair, told")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_.lower() in lexicon.SPEECH_VERBS


@dataclass(frozen=True)
class ArticleNames:
    """The people and organisations a body names, indexed once per article rather than scanned once per quote
    (an article of 400 quotes and 10,000 mentions spent seconds rebuilding the same lists)."""

    names: dict[int, str]  # local key -> the fullest name the article gives
    spans: dict[int, list[tuple[int, int]]]  # local key -> where the body names it (candidate labels only)
    by_paragraph: dict[int, list[tuple[int, int]]]  # paragraph -> (start, local key) of those mentions
    all_spans: dict[int, list[tuple[int, int]]]  # local key -> every body mention of it (a pick, a pronoun's person)
    first_surface: dict[int, str]
    labels: dict[int, tuple[str, str]]  # local key -> (label, kind) of its last body mention

    @staticmethod
    def of(mentions: list[Mention], layout: Layout) -> ArticleNames:
        names, spans, by_paragraph = {}, {}, {}
        all_spans, first_surface, labels = {}, {}, {}
        for m in mentions:
            if m.text_field != "body":
                continue
            all_spans.setdefault(m.local_key, []).append((m.start, m.end))
            first_surface.setdefault(m.local_key, m.surface)
            labels[m.local_key] = (m.label, m.kind)
            if m.label not in CANDIDATE_LABELS or m.kind == "byline" or m.local_key < 0:
                continue
            names.setdefault(m.local_key, m.surface)
            spans.setdefault(m.local_key, []).append((m.start, m.end))
            by_paragraph.setdefault(layout.paragraph(m.start), []).append((m.start, m.local_key))
            if m.label == "PERSON" and len(m.surface) > len(names[m.local_key]):
                names[m.local_key] = m.surface
        return ArticleNames(names, spans, by_paragraph, all_spans, first_surface, labels)


def _entity_candidates(names: ArticleNames, layout: Layout, q_start: int, q_end: int) -> dict[int, Candidate]:
    """The entities named (outside the quote) in the quote's paragraphs or the two before, each with every
    place the article names it."""
    first, last = layout.paragraph(q_start) - PARAGRAPHS_BACK, layout.paragraph(q_end)
    near = {key for p in range(first, last + 1) for s, key in names.by_paragraph.get(p, ()) if not q_start <= s < q_end}
    return {key: Candidate(names.names[key], key, list(names.spans[key])) for key in names.spans if key in near}


def _describe(doc: Doc, layout: Layout, c: Candidate, q_start: int, q_end: int, labels: dict[int, tuple[str, str]]
              ) -> None:
    outside = [(s, e) for s, e in c.spans if not q_start <= s < q_end]
    inside = len(outside) < len(c.spans)
    if not outside:
        c.features.update(named_inside_quote=float(inside), log_distance=math.log1p(5000) / 10)
        return
    s, e = min(outside, key=lambda span: min(abs(span[0] - q_start), abs(span[0] - q_end)))
    distance = q_start - e if s < q_start else s - q_end
    q_sents = range(layout.sentence(q_start), layout.sentence(max(q_start, q_end - 1)) + 1)
    para = layout.paragraph(q_start)
    label, kind = labels.get(c.local_key, ("", "")) if c.local_key is not None else ("", "")
    paragraph_start = layout.paragraphs[layout.paragraph(s)]
    c.features.update(
        log_distance=math.log1p(max(distance, 0)) / 10, mention_before=float(s < q_start),
        same_sentence=float(any(layout.sentence(a) in q_sents for a, _ in outside)), same_paragraph=float(layout.paragraph(s) == para),
        previous_paragraph=float(layout.paragraph(s) == para - 1),
        speech_subject=float(any(_speech_subject(doc, a, b) for a, b in outside
                                 if abs(layout.paragraph(a) - para) <= 1)),
        log_mentions=math.log1p(len(c.spans)) / 3, is_person=float(label == "PERSON"), is_role=float(kind == "role"),
        named_inside_quote=float(inside), possessor=float(layout.text.startswith(("'s", "’s"), e)),
        first_in_paragraph=float(not layout.text[paragraph_start:s].strip()))


def _governing_clause(doc: Doc, q_start: int, q_end: int) -> tuple[Token | None, Token | None, list[Token]]:
    """(subject, verb, objects) of the nearest clause that holds the quote ("Reid has been pounding Trump as a
    “…”", "Protesters chanted “…”"): its subject is the usual source of a quoted fragment whatever its verb;
    the objects on the way up ("Trump") are what the quote is about, not who said it."""
    span = doc.char_span(q_start, q_end, alignment_mode="expand")
    if span is None:
        return None, None, []
    inside = range(span.start, span.end)
    node, objects = span.root, []
    for _ in range(12):
        if node.i not in inside:
            objects += [o for c in node.children if c.i not in inside
                        for o in ([c] if c.dep_ in OBJECT_DEPS else [g for g in c.children if g.dep_ == "pobj"]
                                  if c.dep_ in {"prep", "agent"} else [])
                        if o.i not in inside]
            subject = next((c for c in node.children if c.dep_ in SUBJECT_DEPS and c.i not in inside
                            and c.tag_ not in RELATIVE_TAGS), None)  # "a coach who is “…”": go on to the clause above
            if subject is not None and subject.left_edge.i <= span.start < subject.right_edge.i + 1:
                return None, None, objects  # the quote is inside the subject (“smart” meters): a term, not words
            if subject is None and node.dep_ == "acl" and node.pos_ == "VERB" and node.head.pos_ == "PROPN":
                subject = node.head  # "Lee, a coach, compared …" parsed as a clause hanging on the name
            if subject is None and node.dep_ == "xcomp":  # "led Lee to fear a “…”": the object does the fearing
                subject = next((c for c in node.head.children if c.dep_ == "dobj" and c.i not in inside), None)
            if subject is not None:
                return subject, node, objects
        if node.head is node:
            break
        node = node.head
    return None, None, objects


def _lead_subjects(doc: Doc, layout: Layout, q_start: int) -> list[Token]:
    """Subjects of the sentence just before a quote that opens its own sentence in the same paragraph
    ("Lee, a former partner, called him a master. “He showed …”"): the sentence that introduces it."""
    first = doc.char_span(q_start, q_start + 1, alignment_mode="expand")
    if first is None or first.sent.start == 0 or layout.text[first.sent.start_char:q_start].strip(_MARKS):
        return []
    before = doc[first.sent.start - 1].sent
    if layout.paragraph(before.start_char) != layout.paragraph(q_start):
        return []
    # The subject and a name apposed to it, not the names it governs ("partner at Lenox", "Lee's aide").
    return [n for t in before.root.children if t.dep_ in SUBJECT_DEPS for n in t.subtree
            if n.dep_ not in {"pobj", "poss"}]


def _with_appositions(subject: Token) -> list[Token]:
    """A subject and the names set beside it ("Her partner, Paul Brandt, called …")."""
    return [subject, *(c for c in subject.children if c.dep_ == "appos")]


def _describes_speaker(token: Token) -> bool:
    """A subject that names a group or a described source ("Protesters", "Oversight Committee Republicans",
    "small groups of protesters"): a name or a noun for people, not a thing or a pronoun."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return False
    lemma = token.lemma_.lower()
    return token.pos_ == "PROPN" or token.ent_type_ in {"NORP", "ORG", "PERSON"} or lemma in lexicon.SPEAKER_NOUNS \
        or lemma in lexicon.ANONYMOUS_HEADS or lemma in lexicon.ROLE_HEADS


def _description(subject: Token) -> tuple[int, int]:
    """Character span of a subject's noun phrase without its clauses, appositions or conjuncts."""
    dropped = {t.i for c in subject.children if c.dep_ in _CLAUSE_DEPS for t in c.subtree}
    words = [t for t in subject.subtree if t.i not in dropped and t.i <= subject.i + MAX_DESCRIPTION_TOKENS // 2]
    words = words[-MAX_DESCRIPTION_TOKENS:]
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _holds(spans: list[tuple[int, int]], tokens: list[Token]) -> bool:
    return any(s <= t.idx < e for s, e in spans for t in tokens)


def _mark_clauses(doc: Doc, layout: Layout, candidates: list[Candidate], q_start: int, q_end: int) -> None:
    """Mark the candidates that are the subject of the quote's clause or of the sentence leading into it; a
    described subject no candidate names becomes a candidate of its own (a description)."""
    lead = _lead_subjects(doc, layout, q_start)
    for c in candidates:
        if lead and _holds(c.spans, lead):
            c.features["lead_subject"] = 1.0
    subject, verb, objects = _governing_clause(doc, q_start, q_end)
    para = layout.paragraph(q_start)  # a misparse can join paragraphs: a clause never spans one
    objects = [o for o in objects if layout.paragraph(o.idx) == para]
    if subject is not None and layout.paragraph(subject.idx) != para:
        subject = None
    for c in candidates:
        if objects and _holds(c.spans, objects):
            c.features["clause_object"] = 1.0
    if subject is None or verb is None:
        return
    speech = verb.lemma_.lower() in lexicon.SPEECH_VERBS | lexicon.CHARACTERIZATION_VERBS
    holders = [c for c in candidates if _holds(c.spans, _with_appositions(subject))]
    if not holders and _describes_speaker(subject):
        start, end = _description(subject)
        holders = [Candidate(layout.text[start:end], None, [(start, end)], {"is_description": 1.0})]
        candidates.extend(holders)
    for c in holders:
        c.features.update(governs_quote=1.0, speech_clause=float(speech))


def quote_candidates(doc: Doc, layout: Layout, names: ArticleNames, q_start: int, q_end: int, partial: bool,
                     pick: tuple[str | None, int | None, str], pick_span: tuple[int, int] | None,
                     previous_key: int | None) -> list[Candidate]:
    """The candidate speakers of the quote at [q_start, q_end), each with its features."""
    candidates = _entity_candidates(names, layout, q_start, q_end)
    name, key, method = pick
    if key is not None and key not in candidates:
        candidates[key] = Candidate(name or "", key, list(names.all_spans.get(key, ())))
    if key is not None and pick_span is not None and pick_span not in candidates[key].spans:
        candidates[key].spans.append(pick_span)  # a pronoun names its person where it stands
    if previous_key is not None and previous_key not in candidates and previous_key in names.all_spans:
        candidates[previous_key] = Candidate(names.first_surface[previous_key], previous_key,
                                             list(names.all_spans[previous_key]))
    ranked = list(candidates.values())
    if name and key is None and pick_span is not None:
        ranked.append(Candidate(name, None, [pick_span], {"unnamed_pick": 1.0}))
    _mark_clauses(doc, layout, ranked, q_start, q_end)
    words = math.log1p(len(layout.text[q_start:q_end].split())) / 3  # a long fragment is a quotation, not a term
    for c in ranked:
        _describe(doc, layout, c, q_start, q_end, names.labels)
        is_pick = name is not None and (c.local_key == key if key is not None else
                                        c.local_key is None and bool(c.features.get("unnamed_pick")))
        c.features.update(cascade_pick=float(is_pick), previous_speaker=float(c.local_key is not None
                                                                          and c.local_key == previous_key),
                          quote_partial=float(partial), log_quote_words=words)
        if is_pick and method in METHODS:
            c.features[f"method_{method}"] = 1.0
    if ranked:
        closest = min(ranked, key=lambda c: c.features.get("log_distance", 1.0))
        closest.features["nearest"] = 1.0
    return ranked


@dataclass(frozen=True)
class Ranker:
    """Two logistic scorers over FEATURES (weights in the order the file names them): one ranks the candidates
    of a quote the rules attributed; the other, fitted on the quotes the rules left without a speaker (terms
    and titles among them), says whether its best candidate is likely enough to be the speaker at all."""

    weights: np.ndarray
    bias: float
    uncued_weights: np.ndarray
    uncued_bias: float
    threshold: float  # below this an uncued quoted sentence stays unattributed
    partial_threshold: float  # the same for an uncued quoted fragment (most are terms, not quotations)

    def scores(self, candidates: list[Candidate], uncued: bool = False) -> np.ndarray:
        if not candidates:
            return np.zeros(0)
        matrix = np.vstack([c.vector() for c in candidates])
        weights, bias = (self.uncued_weights, self.uncued_bias) if uncued else (self.weights, self.bias)
        return 1.0 / (1.0 + np.exp(-(matrix @ weights + bias)))


@lru_cache(maxsize=1)
def load_ranker(path: Path = MODEL_PATH) -> Ranker | None:
    """The committed model, or None where none is (the cascade alone decides then)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path} was trained on other features: retrain it (make train-speakers)")
    return Ranker(np.array(data["weights"], dtype=float), float(data["bias"]),
                  np.array(data["uncued_weights"], dtype=float), float(data["uncued_bias"]),
                  float(data["threshold"]), float(data["partial_threshold"]))

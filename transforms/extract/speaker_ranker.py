"""Who said a quote, decided by a ranker learned from annotated news (PolNeAR train) instead of rule order.

The rule cascade in `transforms.extract.quotes` still proposes its speaker; the ranker weighs that proposal
against the other people and organisations named near the quote (same paragraph or the two before), the
previous quote's speaker, and scores each candidate with a logistic model whose features are the cues the
rules used (distance, side of the quote, sentence and paragraph, subject of a speech verb, how the cascade
found it). The weights are a small committed JSON file (`models/speaker_ranker.json`, model card beside it),
scored with numpy: nothing is trained or downloaded at run time. `bench/train_speakers.py` retrains it.
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
from spacy.tokens import Doc

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
            "possessor", "unnamed_pick", "first_in_paragraph")


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


def _entity_candidates(mentions: list[Mention], layout: Layout, q_start: int, q_end: int) -> dict[int, Candidate]:
    para = layout.paragraph(q_start)
    found: dict[int, Candidate] = {}
    for m in mentions:
        if m.text_field != "body" or m.label not in CANDIDATE_LABELS or m.kind == "byline" or m.local_key < 0:
            continue
        candidate = found.setdefault(m.local_key, Candidate(m.surface, m.local_key, []))
        candidate.spans.append((m.start, m.end))
        if m.label == "PERSON" and len(m.surface) > len(candidate.name):
            candidate.name = m.surface  # the fullest name the article gives
    near = {key for key, c in found.items()
            if any(para - PARAGRAPHS_BACK <= layout.paragraph(s) <= layout.paragraph(q_end) and not q_start <= s < q_end
                   for s, _ in c.spans)}
    return {key: c for key, c in found.items() if key in near}


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
        same_sentence=float(layout.sentence(s) in q_sents), same_paragraph=float(layout.paragraph(s) == para),
        previous_paragraph=float(layout.paragraph(s) == para - 1),
        speech_subject=float(any(_speech_subject(doc, a, b) for a, b in outside
                                 if abs(layout.paragraph(a) - para) <= 1)),
        log_mentions=math.log1p(len(c.spans)) / 3, is_person=float(label == "PERSON"), is_role=float(kind == "role"),
        named_inside_quote=float(inside), possessor=float(layout.text.startswith(("'s", "’s"), e)),
        first_in_paragraph=float(not layout.text[paragraph_start:s].strip()))


def quote_candidates(doc: Doc, layout: Layout, mentions: list[Mention], q_start: int, q_end: int, partial: bool,
                     pick: tuple[str | None, int | None, str], pick_span: tuple[int, int] | None,
                     previous_key: int | None) -> list[Candidate]:
    """The candidate speakers of the quote at [q_start, q_end), each with its features."""
    candidates = _entity_candidates(mentions, layout, q_start, q_end)
    name, key, method = pick
    if key is not None and key not in candidates:
        spans = [(m.start, m.end) for m in mentions if m.local_key == key and m.text_field == "body"]
        candidates[key] = Candidate(name or "", key, spans)
    if key is not None and pick_span is not None and pick_span not in candidates[key].spans:
        candidates[key].spans.append(pick_span)  # a pronoun names its person where it stands
    if previous_key is not None and previous_key not in candidates:
        named = [m for m in mentions if m.local_key == previous_key and m.text_field == "body"]
        if named:
            candidates[previous_key] = Candidate(named[0].surface, previous_key, [(m.start, m.end) for m in named])
    ranked = list(candidates.values())
    if name and key is None and pick_span is not None:
        ranked.append(Candidate(name, None, [pick_span], {"unnamed_pick": 1.0}))
    labels = {m.local_key: (m.label, m.kind) for m in mentions if m.text_field == "body"}
    for c in ranked:
        _describe(doc, layout, c, q_start, q_end, labels)
        is_pick = name is not None and (c.local_key == key if key is not None else c.local_key is None)
        c.features.update(cascade_pick=float(is_pick), previous_speaker=float(c.local_key is not None
                                                                          and c.local_key == previous_key),
                          quote_partial=float(partial))
        if is_pick and method in METHODS:
            c.features[f"method_{method}"] = 1.0
    if ranked:
        closest = min(ranked, key=lambda c: c.features.get("log_distance", 1.0))
        closest.features["nearest"] = 1.0
    return ranked


@dataclass(frozen=True)
class Ranker:
    """A logistic scorer over FEATURES (weights in the order the file names them)."""

    weights: np.ndarray
    bias: float
    threshold: float  # below this a quote with no cascade speaker stays unattributed

    def scores(self, candidates: list[Candidate]) -> np.ndarray:
        if not candidates:
            return np.zeros(0)
        matrix = np.vstack([c.vector() for c in candidates])
        return 1.0 / (1.0 + np.exp(-(matrix @ self.weights + self.bias)))


@lru_cache(maxsize=1)
def load_ranker(path: Path = MODEL_PATH) -> Ranker | None:
    """The committed model, or None where none is (the cascade alone decides then)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path} was trained on other features: retrain it (make train-speakers)")
    return Ranker(np.array(data["weights"], dtype=float), float(data["bias"]), float(data["threshold"]))

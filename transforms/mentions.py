"""Entity mentions in one article: spaCy NER plus rules for its known misses, then within-article clusters.

Works on parsed spaCy `Doc`s handed in by the caller (no model loading here). Offsets are character
offsets into the article field the doc was made from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from transforms import lexicon

KEEP_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART",
                         "LANGUAGE"})
TYPE_GROUPS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org", "NORP": "org"}
# Organisation heads that take their country along: "Pakistan's Foreign Ministry".
_INSTITUTION_HEADS = re.compile(r"\b(?:ministry|office|department|embassy|military|army|navy|air force|"
                                r"parliament|cabinet|senate|police|intelligence|council|court)\b", re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,6}$")


@dataclass
class Mention:
    text_field: str
    start: int
    end: int
    surface: str
    label: str
    kind: str = "name"  # name | acronym | role | byline
    local_key: int = -1


@dataclass
class LocalEntity:
    local_key: int
    entity_type: str
    name: str
    surfaces: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)


def name_key(text: str) -> str:
    """Comparison key of a name: case, apostrophes, a leading article and a possessive ignored."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower().strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s?$", "", text)
    return re.sub(r"[\W_]+", " ", text).strip()


def _is_title(token_text: str) -> bool:
    return token_text.lower() in lexicon.TITLE_WORDS


def _trim(span: Span) -> Span | None:
    """Drop determiners, titles (for people), possessives and punctuation at the edges of a span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in {"the", "a", "an"}
                           or (span.label_ == "PERSON" and _is_title(doc[start].text))):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s", "'", "’"}):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_)


def _plausible(span: Span) -> bool:
    text = span.text
    if len(text) < 2 or not any(ch.isupper() for ch in text):
        return False
    if all(t.lower_ in lexicon.NOT_ENTITIES or t.lower_ in lexicon.TITLE_WORDS or t.is_punct for t in span):
        return False
    return not (span.label_ == "PERSON" and len(span) == 1 and span[0].pos_ not in {"PROPN", "NOUN"})


def _titled_people(doc: Doc, taken: list[tuple[int, int]]) -> list[Span]:
    """Capitalised names right after a title or rank ("Field Marshal Asim Munir") that NER missed."""
    found = []
    i = 0
    while i < len(doc):
        if _is_title(doc[i].text) and doc[i].text[:1].isupper():
            j = i
            while j < len(doc) and (doc[j].lower_ == "of" or (_is_title(doc[j].text) and doc[j].text[:1].isupper())):
                j += 1
            k = j
            while k < len(doc) and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper() \
                    and not _is_title(doc[k].text) and doc[k].ent_type_ not in {"GPE", "NORP", "DATE"}:
                k += 1
            if k - j >= 2 and not any(s < k and j < e for s, e in taken):
                found.append(Span(doc, j, k, label="PERSON"))
                i = k
                continue
            i = max(j, i + 1)
            continue
        i += 1
    return found


def _extend_possessive_org(span: Span) -> Span:
    """`Foreign Ministry` preceded by `Pakistan's` -> `Pakistan's Foreign Ministry`."""
    doc = span.doc
    if span.label_ != "ORG" or not _INSTITUTION_HEADS.search(span.text) or span.start < 2:
        return span
    if doc[span.start - 1].lower_ in {"'s", "’s"} and doc[span.start - 2].ent_type_ == "GPE":
        gpe_start = span.start - 2
        while gpe_start > 0 and doc[gpe_start - 1].ent_type_ == "GPE" and doc[gpe_start - 1].ent_iob_ == "I":
            gpe_start -= 1
        return Span(doc, gpe_start, span.end, label="ORG")
    return span


def doc_mentions(doc: Doc, text_field: str) -> list[Mention]:
    """Named-entity mentions of one parsed field, after the rule fixes."""
    spans: list[Span] = []
    for ent in doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        trimmed = _trim(ent)
        if trimmed is None or not _plausible(trimmed):
            continue
        spans.append(_extend_possessive_org(trimmed))
    taken = [(s.start, s.end) for s in spans if s.label_ == "PERSON"]
    spans.extend(_titled_people(doc, taken))
    # A person found by the title rule replaces overlapping non-person spans ("Army" in a rank phrase).
    people = [(s.start, s.end) for s in spans if s.label_ == "PERSON"]
    spans = [s for s in spans if s.label_ == "PERSON" or not any(a < s.end and s.start < b for a, b in people)]
    mentions = []
    for span in sorted(spans, key=lambda s: s.start_char):
        kind = "acronym" if _ACRONYM.match(span.text) and span.label_ != "PERSON" else "name"
        mentions.append(Mention(text_field, span.start_char, span.end_char, span.text, span.label_, kind))
    return mentions


def _initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", name) if p and p[0].isupper()]
    return "".join(p[0] for p in parts)


def cluster_mentions(mentions: list[Mention]) -> list[LocalEntity]:
    """Group one article's mentions into entities: same name, surname of a full name, defined acronym."""
    entities: list[LocalEntity] = []
    by_key: dict[tuple[str, str], LocalEntity] = {}
    labels: dict[int, list[str]] = {}

    def attach(mention: Mention, entity: LocalEntity) -> None:
        mention.local_key = entity.local_key
        entity.surfaces.append(mention.surface)
        labels.setdefault(entity.local_key, []).append(mention.label)

    def new_entity(mention: Mention) -> LocalEntity:
        entity = LocalEntity(len(entities), mention.label, mention.surface)
        entities.append(entity)
        by_key[(TYPE_GROUPS.get(mention.label, mention.label), name_key(mention.surface))] = entity
        attach(mention, entity)
        return entity

    ordered = sorted(mentions, key=lambda m: (-len(m.surface.split()), m.text_field != "body", m.start))
    for mention in ordered:
        group = TYPE_GROUPS.get(mention.label, mention.label)
        key = name_key(mention.surface)
        if (group, key) in by_key:
            attach(mention, by_key[(group, key)])
            continue
        if group == "person" and len(key.split()) == 1:
            owners = [e for e in entities if TYPE_GROUPS.get(e.entity_type) == "person"
                      and key in name_key(e.name).split()]
            if len(owners) == 1:
                attach(mention, owners[0])
                by_key[(group, key)] = owners[0]
                continue
        if mention.kind == "acronym":
            owners = [e for e in entities if TYPE_GROUPS.get(e.entity_type) in {"org", None}
                      and len(e.name.split()) > 1 and _initials(e.name) == mention.surface]
            if len(owners) == 1:
                attach(mention, owners[0])
                owners[0].acronyms.append(mention.surface)
                by_key[(group, key)] = owners[0]
                continue
        new_entity(mention)
    for entity in entities:
        votes = labels.get(entity.local_key, [entity.entity_type])
        entity.entity_type = max(set(votes), key=lambda label: (votes.count(label), label == entity.entity_type))
        full_names = [s for s in entity.surfaces if not _ACRONYM.match(s)] or entity.surfaces
        entity.name = max(full_names, key=lambda s: (len(s.split()), len(s)))
    return entities

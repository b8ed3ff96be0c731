"""Entity mentions in one article: spaCy NER plus rules for its known misses, then within-article clusters.

Works on parsed spaCy `Doc`s handed in by the caller (no model loading here). Offsets are character
offsets into the article field the doc was made from.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from itertools import accumulate

from spacy.tokens import Doc, Span

from transforms import lexicon
from transforms.extract.doctext import doc_text
from transforms.gazetteer import canonical_country, demonym_country, demonym_key
from transforms.text import fold

KEEP_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART",
                         "LANGUAGE"})
TYPE_GROUPS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org", "NORP": "org"}
# Organisation heads that take their country along: "Pakistan's Foreign Ministry".
INSTITUTION_HEADS = re.compile(r"\b(?:ministry|office|department|embassy|military|army|navy|air force|"
                               r"armed forces|parliament|cabinet|senate|police|intelligence|council|court)\b",
                               re.IGNORECASE)
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
    text = fold(text).strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s?$", "", text)
    return re.sub(r"[\W_]+", " ", text).strip()


def _is_title(token_text: str) -> bool:
    return token_text.lower() in lexicon.TITLE_WORDS


# Ranks and honorifics NER glues to the end of an organisation or place right before a person's name:
# "Oregon State Police Lt. Gregg Hastings", "House of Representatives Speaker, Ann Roe".
_TRAILING_RANKS = frozenset("""mr mrs ms dr prof sir lt gen col maj capt sgt cpl pvt adm cmdr brig rt hon speaker
trooper gm lieutenant colonel captain sergeant""".split())
# Last words of event names NER tags as organisations ("the Dubai Air Show", "85th Academy Awards").
_EVENT_HEADS = frozenset("""series show awards games cup championship championships olympics festival meetings
summit expo tournament marathon prix""".split())


def _named_the(doc: Doc, i: int) -> bool:
    """A capitalised "The" inside a sentence belongs to the name that follows ("told The Post")."""
    token = doc[i]
    return token.text == "The" and not token.is_sent_start and i > 0 and not doc[i - 1].is_punct \
        and not doc[i - 1].is_quote


# A result glued to a name by NER: "Nicolas Jarry 6-4", "Chile 3-0", "Maria Lopez (3)", "7-6 (5)". A person's
# or a place's name never ends in a number, so any trailing numbers go ("Luis Ortega 2", "Anna Berg 102-98");
# other names may end in one ("Route 66", "Boeing 737-800"), so there only a score of small numbers or a
# bracketed seed goes.
_SCORE_TAIL = re.compile(r"(?:\s+(?:\d{1,2}(?:\s*[-–]\s*\d{1,2})+|[(\[]\s*\d{1,2}(?:\s*[-–]\s*\d{1,2})*\s*[)\]]),?)+$")
_NUMBER_TAIL = re.compile(r"(?:\s+[(\[]?\d+(?:\s*[-–]\s*\d+)*[)\]]?,?)+$")
_NUMBERLESS_LABELS = frozenset({"PERSON", "GPE", "NORP", "LOC"})


def _before_score(doc: Doc, start: int, end: int, label: str) -> int:
    """The end of a name without a score, a bracketed number or (for people and places) a number after it."""
    text = doc[start:end].text
    tail = _SCORE_TAIL.search(text) or (_NUMBER_TAIL.search(text) if label in _NUMBERLESS_LABELS else None)
    if tail is None or tail.start() == 0:
        return end
    cut = doc[start].idx + tail.start()
    while end > start and doc[end - 1].idx >= cut:
        end -= 1
    return end


def _trim(span: Span) -> Span | None:
    """Drop determiners, titles (for people), trailing ranks (for the rest), possessives and punctuation
    at the edges of a span. A capitalised "The" inside a sentence stays part of an organisation's name."""
    start, end = span.start, span.end
    doc = span.doc
    if span.label_ == "ORG" and start > 0 and _named_the(doc, start - 1):
        start -= 1
    def leading_noise(i: int) -> bool:
        token = doc[i]
        article = token.lower_ in {"the", "a", "an"} and not (span.label_ == "ORG" and _named_the(doc, i)
                                                              and end - i > 1)
        return token.is_punct or not any(ch.isalnum() for ch in token.text) or article \
            or (span.label_ == "PERSON" and _is_title(token.text))

    def trailing_noise(i: int) -> bool:
        token = doc[i]
        return token.is_punct or not any(ch.isalnum() for ch in token.text) or token.lower_ in {"'s", "’s", "'", "’"} \
            or (span.label_ != "PERSON" and i > start and token.lower_.rstrip(".") in _TRAILING_RANKS)

    while start < end and leading_noise(start):
        start += 1
    while end > start and trailing_noise(end - 1):
        end -= 1
    scored_end = end
    end = _before_score(doc, start, end, span.label_)
    while end > start and trailing_noise(end - 1):
        end -= 1
    if start >= end:
        return None
    label = span.label_
    if end < scored_end and label in {"FAC", "ORG", "PRODUCT"} and canonical_country(doc[start:end].text):
        label = "GPE"  # "Chile 3-0" read as a facility: a country's side, named by its country
    word = name_key(doc[start].text)
    if label in {"PERSON", "ORG", "GPE"} and end - start == 1 and (demonym_country(word) or (
            word.endswith("s") and demonym_country(word[:-1]))):
        label = "NORP"  # "Greeks", "Afghans": a people, not a person or a place
    if label == "PERSON" and end - start == 1 and start > 0 and doc[start - 1].like_num:
        label = "PRODUCT"  # "the 737 Max", "a Model 3 Plus": a model name, not a person
    if label == "ORG" and (doc[end - 1].lower_ in _EVENT_HEADS or re.match(r"^\d+(?:st|nd|rd|th)$", doc[start].lower_)):
        label = "EVENT"
    return Span(doc, start, end, label=label)


def _common_noun_acronym(token) -> bool:
    """An all-capitals word that is not a name: a shouted function word ("OUT", "IN") or an abbreviation
    used as a common noun, counted or with an indefinite article ("an SUV", "121 RBI")."""
    if not (token.text.isupper() and token.text.isalpha()):
        return False
    if token.is_stop or token.pos_ in {"VERB", "AUX", "ADP", "DET", "PRON", "ADV", "ADJ", "CCONJ", "SCONJ", "NUM", "PART"}:
        return True  # a shouted word: "HAVE DIED", "OUT"
    previous = token.doc[token.i - 1] if token.i else None
    return previous is not None and (previous.like_num or previous.lower_ in {"a", "an"})


def _plausible(span: Span) -> bool:
    text = span.text
    if len(text) < 2 or not any(ch.isupper() for ch in text):
        return False
    if len(span) == 1 and _common_noun_acronym(span[0]):
        return False
    if all(t.lower_ in lexicon.NOT_ENTITIES or t.lower_ in lexicon.TITLE_WORDS or t.is_punct for t in span) \
            and not (span.label_ == "ORG" and len(span) > 1 and span[-1].lower_ == "ministry"
                     and all(t.text[:1].isupper() for t in span)):  # "Finance Ministry" is a name
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
    if span.label_ != "ORG" or not INSTITUTION_HEADS.search(span.text) or span.start < 2:
        return span
    if doc[span.start - 1].lower_ in {"'s", "’s"} and doc[span.start - 2].ent_type_ == "GPE":
        gpe_start = span.start - 2
        while gpe_start > 0 and doc[gpe_start - 1].ent_type_ == "GPE" and doc[gpe_start - 1].ent_iob_ == "I":
            gpe_start -= 1
        return Span(doc, gpe_start, span.end, label="ORG")
    return span


# Names joined by lower-case particles: "Tehrik-e-Taliban", "Hizb-ut-Tahrir", "Lashkar-e-Taiba".
_PARTICLE_COMPOUND = re.compile(r"\b[A-Z][\w'’]*(?:-[a-z]{1,3}-[A-Z][\w'’]*)+")
# A country (possessive or demonym) and one of its institutions: "Pakistan's Foreign Ministry",
# "Turkey's Ministry of Foreign Affairs", "Pakistani military".
_COUNTRY_INSTITUTION = re.compile(
    r"\b(?!The\b)(?P<country>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?P<possessive>['’]s)? (?P<institution>"
    r"(?:[A-Z][a-z]+ ){0,2}Ministry(?: of(?: [A-Z][a-z]+| and){1,4})?|Foreign Office|State Department|"
    r"(?:military|army|navy|air force|armed forces|Army|Navy|Air Force|Armed Forces))\b"
)


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _replace_overlapping(spans: list[Span], new: Span) -> list[Span]:
    return [s for s in spans if not _overlaps(s, new)] + [new]


def particle_compounds(doc: Doc, spans: list[Span]) -> list[Span]:
    """NER cuts "Tehrik-e-Taliban Pakistan" at the hyphens: one span for the whole compound, with the
    proper nouns that directly follow it when it names an organisation."""
    for match in _PARTICLE_COMPOUND.finditer(doc_text(doc)):
        compound = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if compound is None:
            continue
        labels = [s.label_ for s in spans if _overlaps(s, compound)]
        if not labels:
            continue
        label = "ORG" if "ORG" in labels else labels[0]
        end = compound.end
        while label == "ORG" and end < len(doc) and doc[end - 1].whitespace_ and doc[end].pos_ == "PROPN" \
                and doc[end].text[:1].isupper() and not _is_title(doc[end].text):
            end += 1
        spans = _replace_overlapping(spans, Span(doc, compound.start, end, label=label))
    return spans


def country_institutions(doc: Doc, spans: list[Span]) -> list[Span]:
    """`Pakistani military`, `Pakistan's Foreign Ministry`: an organisation, not a country mention plus a
    common noun. A lower-case head used as a modifier ("military officials") is not one."""
    for match in _COUNTRY_INSTITUTION.finditer(doc_text(doc)):
        country = match["country"]
        known = canonical_country(country) if match["possessive"] else demonym_country(country)
        if known is None:
            continue
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        following = doc[span.end] if span.end < len(doc) else None
        if match["institution"].islower() and following is not None and following.pos_ == "NOUN":
            continue
        spans = _replace_overlapping(spans, Span(doc, span.start, span.end, label="ORG"))
    return spans


def qualified_organisations(doc: Doc, spans: list[Span]) -> list[Span]:
    """A demonym right before an organisation name is part of it: `Pakistani` + `Taliban`."""
    out = list(spans)
    for span in spans:
        if span.label_ != "NORP" or demonym_country(span.text) is None or not doc[span.end - 1].whitespace_:
            continue
        end = span.end
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
                and not _is_title(doc[end].text) and doc[end].lower_ not in lexicon.ROLE_HEADS \
                and doc[end].ent_type_ in {"", "ORG"} and not doc[end - 1].is_punct:
            end += 1
        if end > span.end and (end >= len(doc) or not _is_title(doc[end].text)):
            out = _replace_overlapping(out, Span(doc, span.start, end, label="ORG"))
    return out


_PLACE_APPOSITION = re.compile(r"^,?\s+(?:a|an|the)\s+(?:\w+\s+){0,2}(?:city|town|village|district|province|region|"
                               r"state|county|area|capital|port|valley|suburb|neighbou?rhood|border town)\b")
_PLACE_HEAD_AFTER = re.compile(r"^\s+(?:province|district|region|city|valley|county|state)\b")


def listed_acronyms(doc: Doc, spans: list[Span]) -> list[Span]:
    """NER joins "EU & IMF" into one name: two acronyms joined by "&" or "and" are two organisations."""
    out = []
    for span in spans:
        if len(span) == 3 and span[1].text in {"&", "and"} and all(
                t.text.isupper() and t.text.isalpha() and 2 <= len(t.text) <= 6 for t in (span[0], span[2])):
            out += [Span(doc, span.start, span.start + 1, label=span.label_), Span(doc, span.end - 1, span.end,
                                                                                 label=span.label_)]
        else:
            out.append(span)
    return out


def of_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """NER cuts "Los Angeles Angels of Anaheim" at "of": an organisation directly followed by "of" and
    another name is one organisation."""
    starts = {s.start: s for s in spans}
    for span in sorted(spans, key=lambda s: s.start):
        if span.label_ != "ORG" or span.end + 1 >= len(doc) or doc[span.end].lower_ != "of":
            continue
        tail = starts.get(span.end + 1)
        if tail is not None and tail.label_ in {"GPE", "ORG", "LOC"} and tail in spans and span in spans:
            spans = [s for s in spans if s is not span and s is not tail] + [Span(doc, span.start, tail.end, label="ORG")]
    return spans


def coordinated_organisations(doc: Doc, spans: list[Span]) -> list[Span]:
    """NER keeps only the end of "Fish and Wildlife Service": capitalised words joined by "and" right
    before an organisation, and not part of another name, belong to it."""
    out = list(spans)
    for span in spans:
        start = span.start
        if span.label_ != "ORG" or start < 2 or doc[start - 1].lower_ != "and" or not doc[start - 2].text[:1].isupper():
            continue
        begin = start - 1
        while begin > 0 and (doc[begin - 1].text[:1].isupper() or doc[begin - 1].text == ".") \
                and not doc[begin - 1].is_sent_start and doc[begin - 1].lower_ not in {"the", "a", "an"} \
                and not _is_title(doc[begin - 1].text):
            begin -= 1
        if doc[begin].is_sent_start and doc[begin].lower_ == "the":
            begin += 1
        joined = Span(doc, begin, span.end, label="ORG")
        inside = [s for s in out if s is not span and _overlaps(s, joined)]
        if any(s.end == start - 1 for s in inside) or span[0].text.isupper():
            continue  # "IBF, IBO and WBO": names of their own, listed
        if begin < start - 1 and all(s.start >= begin and s.label_ not in {"PERSON", "GPE"} for s in inside):
            out = _replace_overlapping(out, joined)
    return out


# "the Baytown area", "the Swat valley": a capitalised word NER missed, named as a place by its head.
_AREA_HEADS = frozenset({"area", "region", "district", "province", "county", "valley", "suburb", "neighborhood",
                         "neighbourhood"})


def places_before_area_heads(doc: Doc, spans: list[Span]) -> list[Span]:
    out = list(spans)
    for token in doc:
        if token.lower_ not in _AREA_HEADS or token.i < 2:
            continue
        end = token.i
        begin = end
        while begin > 0 and doc[begin - 1].pos_ == "PROPN" and doc[begin - 1].text[:1].isupper() \
                and not _is_title(doc[begin - 1].text):
            begin -= 1
        if begin == end or begin == 0 or doc[begin - 1].lower_ != "the":
            continue
        place = Span(doc, begin, end, label="GPE")
        if not any(_overlaps(s, place) for s in out):
            out.append(place)
    return out


def places_named_as_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """"Bajaur, a city near the border" or "the Kurram district": a place NER took for a person."""
    out = []
    for span in spans:
        after = doc_text(doc)[span.end_char:span.end_char + 60]
        if span.label_ in {"PERSON", "ORG"} and (_PLACE_APPOSITION.match(after) or _PLACE_HEAD_AFTER.match(after)):
            span = Span(doc, span.start, span.end, label="GPE")
        out.append(span)
    return out


def bare_acronyms(doc: Doc, spans: list[Span]) -> list[Span]:
    """All-capitals names NER left out ("broadcaster RTA", "DG ISPR"): organisations, or countries."""
    out = list(spans)
    for token in doc:
        text = token.text
        if not (2 <= len(text) <= 6 and text.isalpha() and text.isupper()) or text in lexicon.NOT_ACRONYMS:
            continue
        if any(s.start <= token.i < s.end for s in out) or _common_noun_acronym(token) or _is_title(text):
            continue
        sentence = token.sent
        if sum(t.is_upper for t in sentence) > len(sentence) / 2:
            continue  # a line in capitals, not a name
        label = "GPE" if canonical_country(text) else "ORG"
        out.append(Span(doc, token.i, token.i + 1, label=label))
    return out


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
    spans = listed_acronyms(doc, spans)
    spans = of_names(doc, spans)
    spans = particle_compounds(doc, spans)
    spans = country_institutions(doc, spans)
    spans = qualified_organisations(doc, spans)
    spans = coordinated_organisations(doc, spans)
    spans = places_before_area_heads(doc, spans)
    spans = bare_acronyms(doc, spans)
    spans = places_named_as_people(doc, spans)
    taken = [(s.start, s.end) for s in spans if s.label_ == "PERSON"]
    spans.extend(_titled_people(doc, taken))
    # A person found by the title rule replaces overlapping non-person spans ("Army" in a rank phrase).
    people = sorted((s.start, s.end) for s in spans if s.label_ == "PERSON")
    people_starts = [a for a, _ in people]
    people_reach = list(accumulate((b for _, b in people), max))  # furthest end of the people up to each one

    def overlaps_person(span: Span) -> bool:
        before = bisect_left(people_starts, span.end)  # the people starting before the span ends
        return before > 0 and people_reach[before - 1] > span.start

    spans = [s for s in spans if s.label_ == "PERSON" or not overlaps_person(s)]
    mentions = []
    for span in sorted(spans, key=lambda s: s.start_char):
        capitals_place = span.label_ in {"GPE", "LOC"} and len(span.text) > 3  # "ANKARA", not an acronym
        kind = "acronym" if _ACRONYM.match(span.text) and span.label_ != "PERSON" and not capitals_place else "name"
        mentions.append(Mention(text_field, span.start_char, span.end_char, span.text, span.label_, kind))
    return mentions


def _initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", name) if p and p[0].isupper()]
    return "".join(p[0] for p in parts)


# Text between two organisation names that makes the second another name of the first:
# "the Pakistani Taliban, or Tehrik-e-Taliban Pakistan", "X — known as Y", "X (Y)", "X, also called Y".
_ALIAS_LINK = re.compile(r"^\s*(?:,\s*or|,?\s*(?:[—–-]\s*)?(?:also |better |formally |widely )?(?:known|called|named) as|"
                         r",?\s*aka|\()\s*(?:the\s+)?$", re.IGNORECASE)


def apposition_links(mentions: list[Mention], texts: dict[str, str]) -> list[tuple[Mention, Mention]]:
    """Pairs of organisation mentions the text declares to be one entity ("X, or Y", "X, known as Y")."""
    links = []
    orgs = sorted((m for m in mentions if TYPE_GROUPS.get(m.label) == "org"), key=lambda m: (m.text_field, m.start))
    for first, second in zip(orgs, orgs[1:]):
        text = texts.get(first.text_field)
        if text is None or first.text_field != second.text_field or second.start - first.end > 40:
            continue
        if _ALIAS_LINK.match(text[first.end:second.start]) and name_key(first.surface) != name_key(second.surface):
            links.append((first, second))
    return links


def _merge_linked(entities: list[LocalEntity], mentions: list[Mention],
                  links: list[tuple[Mention, Mention]]) -> list[LocalEntity]:
    by_key = {e.local_key: e for e in entities}
    for first, second in links:
        keep, drop = by_key.get(first.local_key), by_key.get(second.local_key)
        if keep is None or drop is None or keep is drop:
            continue
        keep.surfaces.extend(drop.surfaces)
        keep.acronyms.extend(drop.acronyms)
        for mention in mentions:
            if mention.local_key == drop.local_key:
                mention.local_key = keep.local_key
        for key, entity in by_key.items():
            if entity is drop:
                by_key[key] = keep
    survivors = {id(e): e for e in by_key.values()}
    return sorted(survivors.values(), key=lambda e: e.local_key)


_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _short_form_owner(key: str, mention: Mention, entities: list[LocalEntity]) -> LocalEntity | None:
    """The one longer entity a shorter name stands for in this article: the first or last name of a
    person ("Teixeira" for "Mark Teixeira", whatever label NER gave it), or the end of a longer name of
    the same kind ("Red Sox" for "Boston Red Sox"). None when no single entity fits."""
    if canonical_country(mention.surface) or demonym_country(mention.surface) or mention.kind == "acronym":
        return None
    words = key.split()
    group = TYPE_GROUPS.get(mention.label, mention.label)
    owners = []
    for entity in entities:
        name = name_key(entity.name).split()
        if group == "org" and "of" in name[1:]:  # "Angels" for "Los Angeles Angels of Anaheim"
            name = name[:name.index("of", 1)]
        if len(name) <= len(words):
            continue
        person = TYPE_GROUPS.get(entity.entity_type) == "person"
        bare = [w for w in name if w not in _GENERATIONS]
        if person and len(words) == 1 and words[0] in (name[0], bare[-1]):
            owners.append(entity)
        elif person and group == "person" and len(words) > 1 and bare[-len(words):] == words:
            owners.append(entity)  # a surname of several words: "Van Rompuy" for "Herman Van Rompuy"
        elif group == "org" and TYPE_GROUPS.get(entity.entity_type) == group and name[-len(words):] == words \
                and demonym_country(name[0]) is None and canonical_country(name[0]) is None:
            owners.append(entity)
    return owners[0] if len(owners) == 1 else None


def cluster_mentions(mentions: list[Mention], texts: dict[str, str] | None = None
                     ) -> tuple[list[Mention], list[LocalEntity]]:
    """Group one article's mentions into entities: same name (whatever label NER gave each mention),
    surname or first name of a full name, the end of a longer name, defined acronym, a demonym and its
    plural, alias declared in the text (`texts`: field -> text the mention offsets point into).
    Returns copies of the mentions, each with its entity's `local_key`, and the entities."""
    mentions = [replace(m) for m in mentions]
    entities: list[LocalEntity] = []
    by_key: dict[tuple[str, str], LocalEntity] = {}
    by_name: dict[str, LocalEntity] = {}
    labels: dict[int, list[str]] = {}
    silent: set[tuple[str, str]] = set()  # short forms whose NER label says nothing about their owner's type

    def attach(mention: Mention, entity: LocalEntity, vote: bool = True) -> None:
        mention.local_key = entity.local_key
        entity.surfaces.append(mention.surface)
        if mention.kind in {"name", "byline"}:
            by_name.setdefault(name_key(mention.surface), entity)
        if vote:
            labels.setdefault(entity.local_key, []).append(mention.label)

    def new_entity(mention: Mention, key: str) -> LocalEntity:
        entity = LocalEntity(len(entities), mention.label, mention.surface)
        entities.append(entity)
        by_key[(TYPE_GROUPS.get(mention.label, mention.label), key)] = entity
        by_name.setdefault(key, entity)
        attach(mention, entity)
        return entity

    ordered = sorted(mentions, key=lambda m: (-len(m.surface.split()), m.text_field != "body", m.start))
    for mention in ordered:
        group = TYPE_GROUPS.get(mention.label, mention.label)
        # a people and its plural are one name ("Afghans" -> "afghan")
        key = (demonym_key(mention.surface) if mention.label == "NORP" else None) or name_key(mention.surface)
        if (group, key) in by_key:
            attach(mention, by_key[(group, key)], vote=(group, key) not in silent)
            continue
        other = by_name.get(key)
        groups = {group, TYPE_GROUPS.get(other.entity_type)} if other is not None else set()
        # The same name under another label is one entity (NER is not consistent), but a country joins only
        # a place or an organisation of its name: Jordan the country is not Michael Jordan.
        if other is not None and groups <= {"person", "org", "place"} \
                and not (canonical_country(mention.surface) and groups not in ({"place"}, {"org", "place"})):
            attach(mention, other)
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
        if group in {"person", "org", "place"} and (owner := _short_form_owner(key, mention, entities)):
            if TYPE_GROUPS.get(owner.entity_type) != group:
                silent.add((group, key))
            attach(mention, owner, vote=(group, key) not in silent)
            by_key[(group, key)] = owner
            continue
        new_entity(mention, key)
    for entity in entities:
        votes = labels.get(entity.local_key, [entity.entity_type])
        entity.entity_type = max(set(votes), key=lambda label: (votes.count(label), label == entity.entity_type))
        full_names = [s for s in entity.surfaces if not _ACRONYM.match(s)] or entity.surfaces
        if entity.entity_type == "NORP":  # "Afghan" over "Afghans"
            plurals = {name_key(n) + "s" for n in full_names}
            full_names = [s for s in full_names if name_key(s) not in plurals] or full_names
        entity.name = max(full_names, key=lambda s: (len(s.split()), len(s)))
    return mentions, _merge_linked(entities, mentions, apposition_links(mentions, texts or {}))


# "the ministry", "the airline": a definite description standing for an organisation the article named,
# recognised by the words that organisation's name is made of.
DESCRIPTION_HEADS: dict[str, frozenset[str]] = {
    "ministry": frozenset({"ministry"}), "department": frozenset({"department"}),
    "company": frozenset({"company", "co", "corp", "corporation", "inc", "ltd", "plc", "llc", "holdings"}),
    "firm": frozenset({"company", "co", "corp", "corporation", "inc", "ltd", "plc", "llc", "holdings"}),
    "airline": frozenset({"airline", "airlines", "airways"}), "carrier": frozenset({"airline", "airlines", "airways"}),
    "bank": frozenset({"bank"}), "agency": frozenset({"agency"}), "party": frozenset({"party"}),
    "council": frozenset({"council"}), "court": frozenset({"court"}), "commission": frozenset({"commission"}),
    "committee": frozenset({"committee"}), "university": frozenset({"university"}), "union": frozenset({"union"}),
    "institute": frozenset({"institute"}), "league": frozenset({"league"}), "club": frozenset({"club"}),
    "organisation": frozenset({"organisation", "organization"}), "organization": frozenset({"organisation", "organization"}),
}
_DESCRIPTION = re.compile(r"\b[Tt]he (?P<head>" + "|".join(DESCRIPTION_HEADS) + r")\b(?!\s+(?:of\b|[A-Z]))(?!-)")


def described_organisations(text: str, mentions: list[Mention], entities: list[LocalEntity]) -> list[Mention]:
    """"the ministry" / "the airline" after the article named exactly one organisation whose name has
    that head ("Ministry of Energy", "Nordair Airlines") -> a `description` mention of it. With no such
    organisation before it, or several, the phrase stays unresolved. One pass over the text: the
    organisations named so far are kept by the words of their names."""
    org_words = {e.local_key: {w for s in e.surfaces for w in name_key(s).split()}
                 for e in entities if TYPE_GROUPS.get(e.entity_type) == "org"}
    types = {e.local_key: e.entity_type for e in entities}
    body = sorted((m for m in mentions if m.text_field == "body"), key=lambda m: m.start)
    starts = [m.start for m in body]
    reach = list(accumulate((m.end for m in body), max))  # furthest end among the mentions up to each one
    by_end = sorted((m for m in body if m.kind in {"name", "acronym"} and m.local_key in org_words),
                    key=lambda m: m.end)
    named: dict[str, set[int]] = {}  # name word -> organisations named so far with that word
    seen = 0
    found = []
    for match in _DESCRIPTION.finditer(text):
        before = bisect_left(starts, match.end())
        if before and reach[before - 1] > match.start():
            continue  # inside (or across) a mention
        while seen < len(by_end) and by_end[seen].end <= match.start():
            for word in org_words[by_end[seen].local_key]:
                named.setdefault(word, set()).add(by_end[seen].local_key)
            seen += 1
        candidates = set().union(*(named.get(w, ()) for w in DESCRIPTION_HEADS[match["head"].lower()]))
        if len(candidates) == 1:
            key = candidates.pop()
            found.append(Mention("body", match.start(), match.end(), match.group(0), types[key], "description", key))
    return found


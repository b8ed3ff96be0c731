"""Roles: the titles and offices a text gives a person, and role-only mentions that stand for one.

"Pakistan's Defense Minister Khawaja Mohammad Asif" and "Abdul Haq Wasiq, director of intelligence"
state roles (`RoleFact`); "Pakistan's defense minister told reporters" names nobody, and becomes a
`role` mention of the person who holds that role in this article, or, later and only if exactly one
person in the corpus holds it, in another article (see `transforms.resolve.entities`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from transforms import lexicon
from transforms.extract.doctext import doc_text
from transforms.gazetteer import country_code, demonym_country
from transforms.extract.mentions import Mention

# Words that may make up an office title besides its head ("Deputy Prime Minister", "spy chief").
ROLE_WORDS = lexicon.TITLE_WORDS | lexicon.ROLE_HEADS | frozenset("""
of the for and government military spy security affairs home trade commerce health education energy economy
water power planning petroleum railways culture tourism environment climate labour labor religious
war staff armed forces air naval navy police public relations press communications media
""".split())
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame lord lady rev rev. father qari hafiz haji "
                       "hajji maulana mullah sheikh sheik".split())
_SPELLING = {"defence": "defense", "advisor": "adviser", "labour": "labor", "programme": "program"}
_APPOSITION = re.compile(r"^,\s+(?P<phrase>[^,.;:()\"“”\n]{3,90}?)(?=\s*(?:[,.;:)]|\s(?:said|says|told|who)\b|$))")
_ROLE_ONLY = re.compile(
    r"\b(?:(?P<country>[A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+|(?P<det>[Tt]he)\s+|(?P<demonym>[A-Z][a-z]+)\s+)"
    r"(?P<role>(?:[a-z][a-z-]+\s+){0,3}(?:" + "|".join(sorted(lexicon.ROLE_HEADS - {"general", "head", "chair"}))
    + r"))\b(?!\s+[A-Z])"
)


@dataclass(frozen=True)
class RoleFact:
    local_key: int
    role: str  # normalised: lower case, British spellings folded ("defense minister")
    role_text: str
    start: int
    end: int
    country: str | None  # alpha-3 of the country the role belongs to, when stated


def normalize_role(text: str) -> str:
    words = [w.strip(".,").lower() for w in text.replace("’", "'").split()]
    return " ".join(_SPELLING.get(w, w) for w in words if w and w not in HONORIFICS)


def _has_office(words: list[str]) -> bool:
    return any(w.strip(".").lower() in lexicon.ROLE_HEADS or w.strip(".").lower() in lexicon.TITLE_WORDS - HONORIFICS
               for w in words)


def _country_of(text: str) -> tuple[str | None, str]:
    """("PAK", "defense minister") from "Pakistan's defense minister" or "Pakistani defense minister"."""
    if match := re.match(r"^([A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+(.+)$", text):
        if code := country_code(match[1]):
            return code, match[2]
    first, _, rest = text.partition(" ")
    if rest and (country := demonym_country(first)):
        return country_code(country), rest
    return None, text


def title_before(doc: Doc, person: Mention) -> tuple[int, int] | None:
    """Character span of the title words right before a person's name, with a possessive country."""
    span = doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    first = span[0]
    i = first.i
    while i > 0:
        previous = doc[i - 1]
        if previous.text == "." and i > 1 and doc[i - 2].lower_ in ROLE_WORDS:
            i -= 2  # "Lt" "." tokenised apart
            continue
        if previous.lower_ not in ROLE_WORDS and previous.text.rstrip(".").lower() not in ROLE_WORDS:
            break
        if previous.lower_ in {"of", "the", "and", "for"} and i - 1 == first.i - 1:
            break
        i -= 1
    while i < first.i and doc[i].lower_ in {"of", "the", "and", "for"}:
        i += 1
    if i > 1 and doc[i - 1].lower_ in {"'s", "’s"} and doc[i - 2].ent_type_ == "GPE":
        i -= 2
    elif i > 0 and doc[i - 1].ent_type_ == "NORP" and demonym_country(doc[i - 1].text):
        i -= 1
    if i == first.i:
        return None
    words = [t.text for t in doc[i:first.i]]
    return (doc[i].idx, doc[first.i - 1].idx + len(doc[first.i - 1].text)) if _has_office(words) else None


def apposition_after(text: str, person: Mention) -> list[tuple[int, int]]:
    """Role phrases in an apposition after a name: ", director of general intelligence"."""
    match = _APPOSITION.match(text[person.end:person.end + 120])
    if not match:
        return []
    phrase, offset = match["phrase"], person.end + match.start("phrase")
    first_word = phrase.split()[0]
    if not (first_word[:1].islower() or re.match(r"[A-Z][a-z]+['’]s$", first_word)):
        return []
    parts, at = [], 0
    for piece in re.split(r"(\s+and\s+)", phrase):
        words = piece.split()
        if words and piece.strip() != "and" and _has_office(words) and all(
                w.strip(".'’").lower() in ROLE_WORDS or w.endswith(("'s", "’s")) or w[:1].isupper() for w in words):
            parts.append((offset + at, offset + at + len(piece)))
        at += len(piece)
    return parts


def find_roles(doc: Doc, mentions: list[Mention]) -> list[RoleFact]:
    """Roles stated for the named people of a parsed body."""
    facts = []
    for person in (m for m in mentions if m.text_field == "body" and m.label == "PERSON" and m.kind == "name"):
        spans = [s for s in (title_before(doc, person),) if s] + apposition_after(doc_text(doc), person)
        for start, end in spans:
            role_text = doc_text(doc)[start:end]
            country, bare = _country_of(role_text)
            role = normalize_role(bare)
            if role:
                facts.append(RoleFact(person.local_key, role, role_text, start, end, country))
    return facts


def same_role(asked: str, held: str) -> bool:
    """"minister" matches "defense minister"; "defense minister" matches "defense minister"."""
    return held == asked or held.endswith(f" {asked}")


@dataclass(frozen=True)
class RoleMention:
    mention: Mention  # kind "role"; local_key is the holder's, or -1 when this article names no holder
    role: str
    country: str | None
    group: int  # role-only mentions of one unnamed person share a group ("Pakistan's defense minister" ... "the minister")


def role_only_mentions(text: str, mentions: list[Mention], facts: list[RoleFact]) -> list[RoleMention]:
    """Role descriptions standing for a person ("Pakistan's defense minister told reporters"). A mention
    takes the local key of the one person this article gives that role; otherwise it joins an earlier
    unnamed role-only mention with the same role, for corpus-level resolution."""
    taken = [(m.start, m.end) for m in mentions if m.text_field == "body" and m.label == "PERSON"]
    taken += [(f.start, f.end) for f in facts]
    found: list[RoleMention] = []
    for match in _ROLE_ONLY.finditer(text):
        start = match.start("country") if match["country"] else match.start("role")
        if match["demonym"]:
            if demonym_country(match["demonym"]) is None:
                continue
            start = match.start("demonym")
        end = match.end("role")
        if any(a < end and start < b for a, b in taken):
            continue
        country, bare = _country_of(text[start:end])
        if match["country"] and country is None:
            continue
        role = normalize_role(bare)
        holders = {f.local_key for f in facts if same_role(role, f.role) and (country is None or f.country in
                                                                                (None, country))}
        key = holders.pop() if len(holders) == 1 else -1
        group = len(found)
        if key == -1:
            earlier = [r for r in found if r.mention.local_key == -1 and same_role(role, r.role)
                       and (country is None or r.country in (None, country))]
            if earlier:
                group, role, country = earlier[-1].group, earlier[-1].role, earlier[-1].country
        found.append(RoleMention(Mention("body", start, end, text[start:end], "PERSON", "role", key), role, country,
                                 group))
    return found

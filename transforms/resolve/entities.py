"""Cross-article entity resolution: one `entities` row per real-world entity across all articles.

Within-article entities (`article_entities`) are merged when they share a strong name key: the same
full name, the same first and last name of a person, the same country under any of its names, the same
acronym. An acronym used alone joins the one organisation of its story whose initials spell it. A generic
word standing alone ("the Bank") links nothing across articles. Ids are derived from
the canonical name, so they stay stable from run to run.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import polars as pl

from transforms import lexicon
from transforms.article import stable_id
from transforms.gazetteer import DEMONYMS, canonical_country, country_code, demonym_key
from transforms.extract.mentions import INSTITUTION_HEADS, TYPE_GROUPS, name_key
from transforms.extract.roles import same_role

# A longer person name seen at most this many times less often than the full name it ends with carries a word
# glued in front of the name ("Crooked Hillary Clinton" once, in a quoted tweet, against "Hillary Clinton" 118 times).
EPITHET_RATIO = 5


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 7 and letters.isupper() and letters.isalpha()


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isupper()]
    return "".join(p[0] for p in parts) if len(parts) >= 2 else ""


def _group(entity_type: str) -> str:
    return TYPE_GROUPS.get(entity_type, entity_type.lower())


_INITIAL = re.compile(r"^[A-Z]\.?$")
_INSTITUTION_FILLER = frozenset({"of", "and", "the", "affairs"})


def institution_parts(surface: str) -> tuple[str, str, int, bool] | None:
    """`Turkey's Ministry of Foreign Affairs` -> ("TUR", "foreign ministry", 4, False): the country, the
    institution's order-free key, its length in words, and whether the country is a demonym."""
    text = re.sub(r"^the\s+", "", surface.strip(), flags=re.IGNORECASE)
    tokens = text.split()
    for cut in (1, 2):
        country, institution = " ".join(tokens[:cut]), " ".join(tokens[cut:])
        possessive = country.endswith(("'s", "’s"))
        country = country[:-2] if possessive else country
        if not institution or not INSTITUTION_HEADS.search(institution):
            continue
        code = country_code(country) if possessive else DEMONYMS.get(country.lower())
        if code is None:
            continue
        words = [w.lower() for w in institution.split()]
        key = " ".join(sorted(w for w in words if w not in _INSTITUTION_FILLER))
        return code, key, len(words), not possessive
    return None


def _capitals_spelling(surface: str) -> bool:
    """`ANKARA`: a place name written in capitals (datelines), longer than any place abbreviation."""
    letters = surface.replace(".", "")
    return letters.isupper() and letters.isalpha() and len(letters) > 3


def strong_keys(entity_type: str, surfaces: list[str], acronyms: list[str]) -> set[str]:
    """Keys that, when shared, mean two within-article entities are the same real-world entity."""
    group = _group(entity_type)
    keys: set[str] = set()
    for surface in surfaces:
        if entity_type == "NORP" and (demonym := demonym_key(surface)):
            keys.add(f"demonym:{demonym}")
            continue
        if group == "place" and (country := canonical_country(surface)):
            keys.add(f"country:{name_key(country)}")
            continue
        if group == "place" and _capitals_spelling(surface):
            keys.add(f"place:{name_key(surface)}")  # a dateline city in capitals ("ANKARA"), not an acronym
            continue
        if group in {"place", "org"} and _is_acronym(surface):
            if (agency := lexicon.AGENCY_FULL_NAMES.get(surface)) is not None:
                keys.add(f"org:{name_key(agency)}")
            keys.add(f"{group}:acr:{surface.replace('.', '')}")
            continue
        key = name_key(surface)
        if not key or (group != "person" and key in lexicon.GENERIC_NAME_HEADS):
            continue  # "the Bank" of one article and "Bank" of another are not one bank
        if group == "person":
            tokens = key.split()
            if len(tokens) >= 2:
                keys.add(f"person:{key}")
                keys.add(f"person-fl:{tokens[0]} {tokens[-1]}")
            elif not any(len(name_key(s).split()) >= 2 for s in surfaces):
                # A bare surname links articles only when neither names the person in full: two full
                # names that share a surname ("Jennifer Roberts", "John Roberts") are two people.
                keys.add(f"person1:{key}")
        else:
            keys.add(f"{group}:{key}")
            if group == "org" and (parts := institution_parts(surface)) is not None:
                keys.add(f"institution:{parts[0]}:{parts[1]}")
    keys.update(f"{group}:acr:{a.replace('.', '')}" for a in acronyms)
    return keys


def _without_epithet(best: str, names: list[str], surfaces: Counter[str]) -> str:
    """The full name a rare longer form ends with, when that full name (two words or more) is far more
    common: the extra word is an epithet or a verb glued to the name, not part of it."""
    for name in sorted(names, key=lambda n: (-len(n.split()), n)):
        if len(name.split()) >= 2 and best.endswith(f" {name}") and surfaces[name] >= EPITHET_RATIO * surfaces[best]:
            return name
    return best


def _canonical(group: str, surfaces: Counter[str], acronyms: set[str]) -> str:
    if group == "place":
        for surface, _ in surfaces.most_common():
            if (country := canonical_country(surface)) is not None:
                return country
    names = [s for s in surfaces if not _is_acronym(s)]
    if not names:
        acronym = next(iter(sorted(surfaces)))
        if group == "place" and len(acronym) > 3:
            return acronym.title()  # a dateline place in capitals ("ANKARA"), not an abbreviation
        return lexicon.AGENCY_FULL_NAMES.get(acronym, acronym)
    institutions = {n: parts for n in names if (parts := institution_parts(n)) is not None}
    if group == "person":
        # The fullest name, counting a middle initial for nothing: "Paul Ryan" over "Paul D. Ryan".
        best = max(names, key=lambda s: (len([w for w in s.split() if not _INITIAL.match(w)]),
                                         -len([w for w in s.split() if _INITIAL.match(w)]), not s.isupper(),
                                         surfaces[s], s))
        best = _without_epithet(best, names, surfaces)
    elif institutions:  # the institution's fullest name; "Pakistani military" over "Pakistan's military"
        best = max(institutions, key=lambda n: (institutions[n][2], institutions[n][3], surfaces[n], n))
    else:
        spelled = [n for n in names if initials(n) in acronyms]
        best = max(spelled or names, key=lambda s: (surfaces[s], not s.isupper(), len(s), s))
        # "Afghan Taliban" over the bare "Taliban" it qualifies: the more specific name of the same thing.
        if qualified := [n for n in names if n.endswith(f" {best}") and len(n.split()) == len(best.split()) + 1]:
            best = max(qualified, key=lambda s: (surfaces[s], s))
        # "Los Angeles Angels of Anaheim" over the "Angels" it was shortened to.
        elif fuller := [n for n in names if f" {best.lower()} " in f" {n.lower()} " and n != best
                        and not _is_acronym(best)]:
            best = max(fuller, key=lambda s: (surfaces[s], len(s), s))
    if best.isupper() and len(best) > 3:
        best = best.title()
    return best.replace("’", "'")


def _join_bare_surnames(rows: list[dict], uf: _UnionFind) -> None:
    """A person named only by surname in an article ("Asif") joins the one person the corpus names in full
    with that surname ("Khawaja Asif"); with two such people ("Jennifer Roberts", "John Roberts") it
    stays on its own rather than guess."""
    full: dict[str, set[int]] = defaultdict(set)
    for i, row in enumerate(rows):
        if _group(row["entity_type"]) == "person":
            for surface in row["surfaces"] or []:
                if len(tokens := name_key(surface).split()) >= 2:
                    full[tokens[-1]].add(i)
    # The people of each surname, counted once: joining a bare surname to one of them never merges two of
    # them, so the count cannot change on the way (looked up per row, it cost rows x namesakes).
    owners = {surname: {uf.find(j) for j in rows_of} for surname, rows_of in full.items()}
    for i, row in enumerate(rows):
        surfaces = row["surfaces"] or []
        if _group(row["entity_type"]) != "person" or not surfaces \
                or any(len(name_key(s).split()) >= 2 for s in surfaces):
            continue
        roots = set().union(*(owners.get(key, ()) for key in {name_key(s) for s in surfaces}))
        if len(roots) == 1:
            uf.union(i, roots.pop())


def _join_bare_heads(rows: list[dict], uf: _UnionFind) -> None:
    """A one-word organisation name ("Taliban") joins the one organisation called "<nationality> Taliban"
    whose own name ends in that word; if the corpus has several, it stays on its own."""
    names: dict[int, set[str]] = defaultdict(set)
    for i, row in enumerate(rows):
        if _group(row["entity_type"]) == "org":
            names[uf.find(i)].update(row["surfaces"] or [])
    qualified_by_head: dict[str, set[int]] = defaultdict(set)  # "Taliban" -> orgs named "Afghan Taliban"
    for root, surfaces in names.items():
        for name in surfaces:
            parts = name.split()
            if len(parts) == 2 and name.endswith(f" {parts[1]}") \
                    and (parts[0].lower() in DEMONYMS or canonical_country(parts[0])):
                qualified_by_head[parts[1]].add(root)
    for root, surfaces in list(names.items()):
        if len(surfaces) != 1 or _is_acronym(head := next(iter(surfaces))) or len(head.split()) != 1:
            continue
        owners = {other for other in qualified_by_head.get(head, ()) if other != root
                  and _canonical("org", Counter(names[other]), set()).endswith(f" {head}")}
        if len(owners) == 1:
            uf.union(root, owners.pop())


def _role_holders(rows: list[dict], roles: pl.DataFrame, uf: _UnionFind, scope=lambda row: None) -> None:
    """A person known only by a role joins the one person of its story (`scope`) given that role (same
    country, or none stated): "the vice president" of one story is not the vice president another names.
    Unresolved, the row keeps no name and is dropped by the caller."""
    index = {(row["article_id"], row["local_key"]): i for i, row in enumerate(rows)}
    held: dict[str | None, dict[int, list[tuple[str, str | None]]]] = defaultdict(lambda: defaultdict(list))
    for fact in roles.select("article_id", "local_key", "role", "role_country").iter_rows(named=True):
        if (i := index.get((fact["article_id"], fact["local_key"]))) is not None:
            held[scope(rows[i])][uf.find(i)].append((fact["role"], fact["role_country"]))
    for i, row in enumerate(rows):
        if not row.get("role") or row["surfaces"]:
            continue
        role, country = row["role"], row.get("role_country")
        holders = {root for root, facts in held.get(scope(row), {}).items()
                   if any(same_role(role, r) and (country is None or c in (None, country)) for r, c in facts)}
        if len(holders) == 1:
            uf.union(i, holders.pop())


def resolve_entities(article_entities: pl.DataFrame, mentions: pl.DataFrame, roles: pl.DataFrame | None = None,
                     story_of: dict[str, str | None] | None = None
                     ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """-> (assignments[article_id, local_key, entity_id], entities, entity_aliases). Local entities known
    only by a role that no named person in the corpus holds get no assignment. With `story_of` (article id
    -> story id), an acronym used alone joins an organisation whose initials spell it only within its story:
    "MEB" in a carmaker's story is not the Greek bank of another."""
    columns = [c for c in ("article_id", "local_key", "entity_type", "surfaces", "acronyms", "role", "role_country")
               if c in article_entities.columns]
    rows = article_entities.select(columns).to_dicts()
    n = len(rows)
    uf = _UnionFind(n)
    owner: dict[str, int] = {}

    def scope(row: dict) -> str | None:
        return None if story_of is None else story_of.get(row["article_id"], row["article_id"])

    for i, row in enumerate(rows):
        keys = strong_keys(row["entity_type"], row["surfaces"] or [], row["acronyms"] or [])
        # An acronym is name evidence within a story only: "MEB" of a carmaker's story and "MEB" of a bank's
        # are linked by neither (one that spells the same full name still is, by that name's key).
        for key in {f"{k}@{scope(row)}" if ":acr:" in k and story_of is not None else k for k in keys}:
            if key in owner:
                uf.union(owner[key], i)
            else:
                owner[key] = i
    # An acronym-only entity joins the one multi-word organisation (of its story) whose initials spell it.
    spelled_by: dict[tuple[str | None, str], set[int]] = defaultdict(set)
    for i, row in enumerate(rows):
        if _group(row["entity_type"]) == "org":
            for surface in row["surfaces"] or []:
                if (abbreviation := initials(surface)) and not _is_acronym(surface):
                    spelled_by[(scope(row), abbreviation)].add(uf.find(i))
    for i, row in enumerate(rows):
        surfaces = row["surfaces"] or []
        if surfaces and all(_is_acronym(s) for s in surfaces):
            roots = {uf.find(j) for j in spelled_by.get((scope(row), surfaces[0].replace(".", "")), set())}
            if len(roots) == 1:
                uf.union(i, roots.pop())

    _join_bare_surnames(rows, uf)
    _join_bare_heads(rows, uf)
    if roles is not None and roles.height:
        _role_holders(rows, roles, uf, scope)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[uf.find(i)].append(i)
    surface_counts = Counter()
    if mentions.height:
        surface_counts = Counter(zip(mentions["article_id"], mentions["local_key"], mentions["surface"]))
    assignments, entities, aliases = [], [], []
    for idxs in members.values():
        if not any(rows[i]["surfaces"] for i in idxs):
            continue  # only role descriptions, and no named holder: not an entity of its own
        types = Counter(rows[i]["entity_type"] for i in idxs)
        entity_type = types.most_common(1)[0][0]
        group = _group(entity_type)
        surfaces: Counter[str] = Counter()
        acronyms: set[str] = set()
        for i in idxs:
            row = rows[i]
            for surface in set(row["surfaces"] or []):
                surfaces[surface] += max(1, surface_counts.get((row["article_id"], row["local_key"], surface), 1))
            acronyms.update(row["acronyms"] or [])
            acronyms.update(s for s in row["surfaces"] or [] if _is_acronym(s))
        if entity_type == "NORP":  # "Afghan", not "Afghans"
            singular = Counter({(k[:-1] if demonym_key(k) == name_key(k)[:-1] else k): v for k, v in surfaces.items()})
            canonical = _canonical(group, singular, acronyms)
        else:
            canonical = _canonical(group, surfaces, acronyms)
        entity_id = stable_id(group, name_key(canonical))
        if story_of is not None and _is_acronym(canonical):
            # An acronym no name of the corpus spells out is known within its story only (its keys were):
            # "MEB" of a carmaker's story and "MEB" of another are two entities, with two ids.
            entity_id = stable_id(group, name_key(canonical), min(str(scope(rows[i])) for i in idxs))
        entities.append({"entity_id": entity_id, "canonical_name": canonical, "entity_type": entity_type})
        for i in idxs:
            assignments.append({"article_id": rows[i]["article_id"], "local_key": rows[i]["local_key"],
                                "entity_id": entity_id})
        for surface, count in surfaces.items():
            kind = "acronym" if _is_acronym(surface) and not (group == "place" and _capitals_spelling(surface)) else (
                "variant" if group == "place" and canonical_country(surface) and surface != canonical else (
                    "short_name" if group == "person" and len(surface.split()) == 1 else "name"))
            aliases.append({"entity_id": entity_id, "alias": surface, "alias_kind": kind, "mention_count": count})
    assignment_frame = pl.DataFrame(assignments, schema={"article_id": pl.String, "local_key": pl.Int32,
                                                         "entity_id": pl.String})
    # Two clusters can land on the same canonical name (and id): they are one entity.
    entity_frame = pl.DataFrame(entities, schema={"entity_id": pl.String, "canonical_name": pl.String,
                                                  "entity_type": pl.String}).unique("entity_id", keep="first",
                                                                                    maintain_order=True)
    counts = (
        mentions.select("article_id", "local_key").join(assignment_frame, on=["article_id", "local_key"])
        .group_by("entity_id")
        .agg(pl.len().cast(pl.Int32).alias("mention_count"), pl.col("article_id").n_unique().cast(pl.Int32)
             .alias("article_count"))
    )
    entity_frame = entity_frame.join(counts, on="entity_id", how="inner", maintain_order="left")
    alias_frame = pl.DataFrame(aliases, schema={"entity_id": pl.String, "alias": pl.String, "alias_kind": pl.String,
                                                "mention_count": pl.Int32})
    if "mention_kind" in mentions.columns:  # role descriptions that stood for the entity
        role_aliases = (
            mentions.filter(pl.col("mention_kind") == "role").select("article_id", "local_key", "surface")
            .join(assignment_frame, on=["article_id", "local_key"], maintain_order="left")
            .group_by("entity_id", "surface", maintain_order=True).agg(pl.len().cast(pl.Int32).alias("mention_count"))
            .select("entity_id", pl.col("surface").alias("alias"), pl.lit("role").alias("alias_kind"), "mention_count")
        )
        alias_frame = pl.concat([alias_frame, role_aliases], how="vertical")
    alias_frame = alias_frame.group_by("entity_id", "alias", maintain_order=True).agg(
        pl.col("alias_kind").first(), pl.col("mention_count").sum())
    return assignment_frame, entity_frame, alias_frame

"""Cross-article entity resolution: one `entities` row per real-world entity across all articles.

Within-article entities (`article_entities`) are merged when they share a strong name key: the same
full name, the same first and last name of a person, the same country under any of its names, the same
acronym. An acronym used alone joins the one organisation whose initials spell it. Ids are derived from
the canonical name, so they stay stable from run to run.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import polars as pl

from transforms import lexicon
from transforms.article import stable_id
from transforms.gazetteer import canonical_country
from transforms.mentions import TYPE_GROUPS, name_key


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


def strong_keys(entity_type: str, surfaces: list[str], acronyms: list[str]) -> set[str]:
    """Keys that, when shared, mean two within-article entities are the same real-world entity."""
    group = _group(entity_type)
    keys: set[str] = set()
    for surface in surfaces:
        if group == "place" and (country := canonical_country(surface)):
            keys.add(f"country:{name_key(country)}")
            continue
        if group in {"place", "org"} and _is_acronym(surface):
            if (agency := lexicon.AGENCY_FULL_NAMES.get(surface)) is not None:
                keys.add(f"org:{name_key(agency)}")
            keys.add(f"{group}:acr:{surface.replace('.', '')}")
            continue
        key = name_key(surface)
        if not key:
            continue
        if group == "person":
            tokens = key.split()
            if len(tokens) >= 2:
                keys.add(f"person:{key}")
                keys.add(f"person-fl:{tokens[0]} {tokens[-1]}")
            else:
                keys.add(f"person1:{key}")
        else:
            keys.add(f"{group}:{key}")
    keys.update(f"{group}:acr:{a.replace('.', '')}" for a in acronyms)
    return keys


def _canonical(group: str, surfaces: Counter[str], acronyms: set[str]) -> str:
    if group == "place":
        for surface, _ in surfaces.most_common():
            if (country := canonical_country(surface)) is not None:
                return country
    names = [s for s in surfaces if not _is_acronym(s)]
    if not names:
        acronym = next(iter(sorted(surfaces)))
        return lexicon.AGENCY_FULL_NAMES.get(acronym, acronym)
    if group == "person":
        best = max(names, key=lambda s: (len(s.split()), not s.isupper(), surfaces[s], s))
    else:
        spelled = [n for n in names if initials(n) in acronyms]
        best = max(spelled or names, key=lambda s: (surfaces[s], not s.isupper(), len(s), s))
    if best.isupper() and len(best) > 3:
        best = best.title()
    return best.replace("’", "'")


def resolve_entities(article_entities: pl.DataFrame, mentions: pl.DataFrame
                     ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """-> (assignments[article_id, local_key, entity_id], entities, entity_aliases)."""
    rows = article_entities.select("article_id", "local_key", "entity_type", "surfaces", "acronyms").to_dicts()
    n = len(rows)
    uf = _UnionFind(n)
    owner: dict[str, int] = {}
    keys_of = []
    for i, row in enumerate(rows):
        keys = strong_keys(row["entity_type"], row["surfaces"] or [], row["acronyms"] or [])
        keys_of.append(keys)
        for key in keys:
            if key in owner:
                uf.union(owner[key], i)
            else:
                owner[key] = i
    # An acronym-only entity joins the one multi-word organisation whose initials spell it.
    spelled_by: dict[str, set[int]] = defaultdict(set)
    for i, row in enumerate(rows):
        if _group(row["entity_type"]) == "org":
            for surface in row["surfaces"] or []:
                if (abbreviation := initials(surface)) and not _is_acronym(surface):
                    spelled_by[abbreviation].add(uf.find(i))
    for i, row in enumerate(rows):
        surfaces = row["surfaces"] or []
        if surfaces and all(_is_acronym(s) for s in surfaces):
            roots = {uf.find(j) for j in spelled_by.get(surfaces[0].replace(".", ""), set())}
            if len(roots) == 1:
                uf.union(i, roots.pop())

    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[uf.find(i)].append(i)
    surface_counts = Counter()
    if mentions.height:
        surface_counts = Counter(zip(mentions["article_id"], mentions["local_key"], mentions["surface"]))
    assignments, entities, aliases = [], [], []
    for idxs in members.values():
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
        canonical = _canonical(group, surfaces, acronyms)
        entity_id = stable_id(group, name_key(canonical))
        entities.append({"entity_id": entity_id, "canonical_name": canonical, "entity_type": entity_type})
        for i in idxs:
            assignments.append({"article_id": rows[i]["article_id"], "local_key": rows[i]["local_key"],
                                "entity_id": entity_id})
        for surface, count in surfaces.items():
            kind = "acronym" if _is_acronym(surface) else (
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
    entity_frame = entity_frame.join(counts, on="entity_id", how="inner")
    alias_frame = pl.DataFrame(aliases, schema={"entity_id": pl.String, "alias": pl.String, "alias_kind": pl.String,
                                                "mention_count": pl.Int32})
    alias_frame = alias_frame.group_by("entity_id", "alias", maintain_order=True).agg(
        pl.col("alias_kind").first(), pl.col("mention_count").sum())
    return assignment_frame, entity_frame, alias_frame

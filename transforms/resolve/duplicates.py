"""Duplicates and reposts: one article text loaded under more than one file name.

- A **duplicate** repeats the body of an earlier file exactly (`articles.duplicate_of`; the file with the
  smallest `seed_name` is the original). Its analysis would be the original's again, so `transforms.resolve.corpus`
  derives everything without it and keeps only its file-level rows (`FILE_TABLES`): every file seen stays
  accounted for, and nothing it says is counted twice (mentions, quotes, events, their counts).
- A **repost** is the same story text with small edits: another headline, a line added, a few words
  changed (`articles.repost_of`, `articles.repost_similarity`). It is a text of its own, since an edit may
  change a fact, so it keeps all its rows; but it is no independent source: wherever sources are counted or
  vote, it counts as the source of the original it copies (`source_of`).

Similarity is the Jaccard index of the bodies' word 5-gram sets (shingles). Different outlets writing up one
event share names and short quotes, not long runs of words; a lightly edited copy keeps most of its runs.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl
from scipy import sparse

import contract

# Tables that record a file rather than analyse its text: a duplicate keeps its rows there.
FILE_TABLES = ("articles", "raw_documents", "article_clutter")
_WORD = re.compile(r"[^\W_]+")


def shingles(body: str, size: int = contract.REPOST_SHINGLE_WORDS) -> frozenset[str]:
    """The body's runs of `size` consecutive words, lower-cased, punctuation ignored (a shorter body is one
    shingle)."""
    words = _WORD.findall(body.lower())
    if len(words) <= size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))


def _incidence(sets: list[frozenset[str]]) -> sparse.csr_matrix:
    """Binary document x shingle matrix."""
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for i, items in enumerate(sets):
        for item in items:
            rows.append(i)
            columns.append(vocabulary.setdefault(item, len(vocabulary)))
    values = np.ones(len(rows), dtype=np.int32)
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(sets), max(1, len(vocabulary))))


def similar_pairs(bodies: list[str], threshold: float = contract.REPOST_MIN_SIMILARITY
                  ) -> list[tuple[int, int, float]]:
    """(i, j, Jaccard) for every pair i < j of bodies whose shingle sets have a Jaccard index of at least
    `threshold`, sorted. Only pairs sharing a shingle are compared (a sparse product), so the cost follows
    the shared text, not the square of the corpus."""
    sets = [shingles(body) for body in bodies]
    matrix = _incidence(sets)
    shared = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    jaccard = shared.data / np.maximum(sizes[shared.row] + sizes[shared.col] - shared.data, 1)
    keep = jaccard >= threshold
    pairs = zip(shared.row[keep].tolist(), shared.col[keep].tolist(), jaccard[keep].tolist())
    return sorted((i, j, round(value, 4)) for i, j, value in pairs)


def find_duplicates(seed_names: list[str], bodies: list[str]) -> list[int | None]:
    """For each article, the index of the original whose body it repeats exactly (the one with the smallest
    seed name), or None for an original."""
    first: dict[str, int] = {}
    for i in sorted(range(len(bodies)), key=lambda i: seed_names[i]):
        first.setdefault(bodies[i], i)
    return [None if first[body] == i else first[body] for i, body in enumerate(bodies)]


def find_reposts(seed_names: list[str], bodies: list[str], threshold: float = contract.REPOST_MIN_SIMILARITY
                 ) -> list[tuple[int, float] | None]:
    """For each article, (index, similarity) of the first article by seed name whose body it re-publishes
    with small edits, or None. Pass originals only: a duplicate is linked by `find_duplicates`."""
    order = sorted(range(len(bodies)), key=lambda i: seed_names[i])
    found: list[tuple[int, float] | None] = [None] * len(bodies)
    for a, b, similarity in similar_pairs([bodies[i] for i in order], threshold):
        if found[order[b]] is None:  # pairs come sorted: the first seen for b has the earliest a
            found[order[b]] = (order[a], similarity)
    return found


def mark_copies(articles: pl.DataFrame, threshold: float = contract.REPOST_MIN_SIMILARITY) -> pl.DataFrame:
    """`articles` with `duplicate_of`, `repost_of` and `repost_similarity` filled in from the bodies."""
    ids, names, bodies = (articles[c].to_list() for c in ("article_id", "seed_name", "body"))
    duplicate_of = find_duplicates(names, bodies)
    originals = [i for i, d in enumerate(duplicate_of) if d is None]
    reposts = find_reposts([names[i] for i in originals], [bodies[i] for i in originals], threshold)
    repost_of: list[str | None] = [None] * len(ids)
    similarity: list[float | None] = [None] * len(ids)
    for i, found in zip(originals, reposts, strict=True):
        if found is not None:
            repost_of[i], similarity[i] = ids[originals[found[0]]], found[1]
    marks = {"duplicate_of": [None if d is None else ids[d] for d in duplicate_of], "repost_of": repost_of,
             "repost_similarity": similarity}
    return articles.with_columns(pl.Series(name, values, dtype=contract.polars_schema(contract.ARTICLES)[name])
                                 for name, values in marks.items())


def duplicate_ids(articles: pl.DataFrame) -> list[str]:
    """Articles that repeat an original exactly (after `mark_copies`)."""
    return articles.filter(pl.col("duplicate_of").is_not_null())["article_id"].to_list()


def source_of(articles: pl.DataFrame) -> pl.DataFrame:
    """article_id -> `_source`: the article's source (domain, else agency, else the article itself), or for a
    repost the source of the original it copies (followed back through reposts of reposts)."""
    ids = articles["article_id"].to_list()
    own = dict(zip(ids, articles.select(pl.coalesce("source_domain", "agency", "article_id"))
                   .to_series().to_list(), strict=True))
    parent = dict(zip(ids, articles["repost_of"].to_list(), strict=True))

    def root(article_id: str) -> str:
        while parent.get(article_id) in own:  # a repost always points at an earlier article: no cycle
            article_id = parent[article_id]
        return article_id

    return pl.DataFrame({"article_id": ids, "_source": [own[root(a)] for a in ids]},
                        schema={"article_id": pl.String, "_source": pl.String})

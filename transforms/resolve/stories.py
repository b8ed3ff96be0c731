"""Stories: articles from different outlets about the same real-world event, clustered by their words.

Each article becomes a TF-IDF vector over its content words, with proper names, numbers and years
weighted up (two similar stories, say two different celebrities' rehab stays, share their vocabulary
but not their names or dates). Average-linkage agglomerative clustering with a cosine threshold then
groups them. Pure and deterministic: the same articles always give the same story ids.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
from scipy import sparse

from transforms import lexicon
from transforms.article import stable_id

# Tuned on ../shared/ecb-dev (bench/ecb_clusters.py); see docs/quality.md.
LINK_THRESHOLD = 0.2
NAME_WEIGHT = 3.0
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d{4}")


def story_terms(title: str | None, body: str) -> Counter[str]:
    """Weighted terms of one article: content words, names (capitalised mid-sentence) counted up."""
    terms: Counter[str] = Counter()
    text = f"{title}. {body}" if title else body
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        for index, match in enumerate(_TOKEN.finditer(sentence)):
            word = match.group(0).replace("’", "'").removesuffix("'s")
            low = word.lower()
            if low in lexicon.STOPWORDS or len(low) < 3:
                continue
            is_name = word[:1].isupper() and index > 0 and not word.isupper()
            terms[low] += NAME_WEIGHT if is_name or word.isdigit() else 1.0
    return terms


def _vectors(documents: list[Counter[str]]) -> list[dict[str, float]]:
    frequency = Counter(term for doc in documents for term in doc)
    n = len(documents)
    vectors = []
    for doc in documents:
        vector = {t: (1 + math.log(w)) * (1 + math.log((1 + n) / (1 + frequency[t]))) for t, w in doc.items() if w > 0}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def _similarities(vectors: list[dict[str, float]]) -> np.ndarray:
    """Cosine similarity of every pair of (unit-length) vectors, as a dense n x n matrix."""
    vocabulary: dict[str, int] = {}
    rows, columns, values = [], [], []
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            rows.append(i)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(weight)
    matrix = sparse.csr_matrix((values, (rows, columns)), shape=(len(vectors), max(1, len(vocabulary))))
    return (matrix @ matrix.T).toarray()


def cluster_stories(article_ids: list[str], titles: list[str | None], bodies: list[str],
                    threshold: float = LINK_THRESHOLD) -> dict[str, str]:
    """article_id -> story_id. Clusters merge while their average pairwise similarity is above
    `threshold`; a story's id derives from its earliest member id, so it is stable across runs.

    Average linkage keeps, for every pair of clusters, the sum of their members' pairwise similarities:
    merging two clusters adds their rows, so each merge costs one pass over the n x n matrix (numpy)
    instead of recomputing every average. Ties go to the pair with the lowest indexes.
    """
    n = len(article_ids)
    if n == 0:
        return {}
    vectors = _vectors([story_terms(t, b) for t, b in zip(titles, bodies, strict=True)])
    sums = _similarities(vectors)
    np.fill_diagonal(sums, 0.0)
    sizes = np.ones(n)
    # Average similarity of each live pair (i < j); -inf elsewhere. A merge changes only row/column a.
    average = np.where(np.triu(np.ones((n, n), dtype=bool), k=1), sums, -np.inf)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    while len(members) > 1:
        a, b = divmod(int(np.argmax(average)), n)
        if average[a, b] < threshold:
            break
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sums[a, a] = 0.0
        sizes[a] += sizes[b]
        sizes[b] = np.inf  # b is gone: its averages become 0 and are masked below
        members[a] += members.pop(b)
        average[b, :] = average[:, b] = -np.inf
        live = np.array(sorted(members), dtype=int)
        before, after = live[live < a], live[live > a]
        average[before, a] = sums[before, a] / (sizes[before] * sizes[a])
        average[a, after] = sums[a, after] / (sizes[a] * sizes[after])
    assignment = {}
    for group in members.values():
        story = stable_id("story", min(article_ids[i] for i in group))
        for i in group:
            assignment[article_ids[i]] = story
    return assignment

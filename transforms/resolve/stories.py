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
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components

from transforms import lexicon
from transforms.article import stable_id

# Tuned on ../shared/ecb-dev (bench/ecb_clusters.py); see docs/quality.md.
LINK_THRESHOLD = 0.2
NAME_WEIGHT = 3.0
SIMILARITY_BLOCK_ROWS = 2048  # rows of the similarity matrix computed at once (2,048 x n floats at most)
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


def _unit_rows(vectors: list[dict[str, float]]) -> sparse.csr_matrix:
    """The (unit-length) term vectors as the rows of one sparse matrix."""
    vocabulary: dict[str, int] = {}
    rows, columns, values = [], [], []
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            rows.append(i)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(weight)
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(vectors), max(1, len(vocabulary))))


def _linked_groups(matrix: sparse.csr_matrix, threshold: float) -> list[np.ndarray]:
    """The articles joined by pairs of similarity ≥ `threshold` (connected components), each in index order.
    Average linkage at `threshold` never merges across them: two clusters merge only where their average
    similarity reaches it, so at least one pair across them does. The pairs are found a block of rows at a
    time, so memory stays a block × n slice, never n × n."""
    n = matrix.shape[0]
    if threshold <= 0:
        return [np.arange(n)]
    transposed = matrix.T.tocsc()
    sources, targets = [], []
    for start in range(0, n, SIMILARITY_BLOCK_ROWS):
        block = (matrix[start:start + SIMILARITY_BLOCK_ROWS] @ transposed).tocoo()
        keep = (block.data >= threshold) & (block.col > block.row + start)
        sources.append(block.row[keep] + start)
        targets.append(block.col[keep])
    rows, columns = np.concatenate(sources), np.concatenate(targets)
    edges = sparse.coo_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, n))
    count, labels = connected_components(edges, directed=False)
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.cumsum(np.bincount(labels, minlength=count))[:-1])


def _average_linkage(similarities: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage clusters of one group (local indexes): merged while the average similarity of two
    clusters is at least `threshold`. SciPy's `linkage` (nearest-neighbour chain: n² time) on distances
    1 - similarity, cut at 1 - `threshold`; each cluster's members in index order, clusters by first member."""
    n = len(similarities)
    # The condensed distances (upper triangle, row by row) written straight from the similarities: no second
    # n x n matrix (the largest group's matrices set the corpus stage's peak memory).
    condensed = np.empty(n * (n - 1) // 2)
    at = 0
    for i in range(n - 1):
        np.subtract(1.0, similarities[i, i + 1:], out=condensed[at:at + n - 1 - i])
        at += n - 1 - i
    np.clip(condensed, 0.0, None, out=condensed)
    labels = fcluster(linkage(condensed, method="average"), 1.0 - threshold, criterion="distance")
    clusters: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(index)
    return list(clusters.values())


def cluster_stories(article_ids: list[str], titles: list[str | None], bodies: list[str],
                    threshold: float = LINK_THRESHOLD) -> dict[str, str]:
    """article_id -> story_id. Clusters merge while their average pairwise similarity is above
    `threshold`; a story's id derives from its earliest member id, so it is stable across runs.

    Clustering runs within each group of articles linked by a pair above `threshold` (`_linked_groups`):
    the same clusters as over the whole corpus at once, at the cost of the groups' sizes instead of the
    corpus's (a dense n x n matrix and a pass over it per merge grew as n³: 37 s for 5,000 articles).
    """
    if not article_ids:
        return {}
    vectors = _vectors([story_terms(t, b) for t, b in zip(titles, bodies, strict=True)])
    matrix = _unit_rows(vectors)
    assignment = {}
    for group in _linked_groups(matrix, threshold):
        rows = matrix[group]
        clusters = _average_linkage((rows @ rows.T).toarray(), threshold) if len(group) > 1 else [[0]]
        for cluster in clusters:
            story = stable_id("story", min(article_ids[group[i]] for i in cluster))
            for i in cluster:
                assignment[article_ids[group[i]]] = story
    return assignment

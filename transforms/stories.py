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


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def cluster_stories(article_ids: list[str], titles: list[str | None], bodies: list[str],
                    threshold: float = LINK_THRESHOLD) -> dict[str, str]:
    """article_id -> story_id. Clusters merge while their average pairwise similarity is above
    `threshold`; a story's id derives from its earliest member id, so it is stable across runs."""
    vectors = _vectors([story_terms(t, b) for t, b in zip(titles, bodies, strict=True)])
    n = len(vectors)
    similarity = [[_cosine(vectors[i], vectors[j]) if i < j else 0.0 for j in range(n)] for i in range(n)]
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    links: dict[tuple[int, int], float] = {(i, j): similarity[i][j] for i in range(n) for j in range(i + 1, n)}
    while links:
        (a, b), best = max(links.items(), key=lambda item: (item[1], -item[0][0], -item[0][1]))
        if best < threshold:
            break
        merged = clusters.pop(a) + clusters.pop(b)
        links = {pair: value for pair, value in links.items() if a not in pair and b not in pair}
        for other, members in clusters.items():
            total = sum(similarity[min(x, y)][max(x, y)] for x in merged for y in members)
            links[(min(a, other), max(a, other))] = total / (len(merged) * len(members))
        clusters[a] = merged
    assignment = {}
    for members in clusters.values():
        story = stable_id("story", min(article_ids[i] for i in members))
        for i in members:
            assignment[article_ids[i]] = story
    return assignment

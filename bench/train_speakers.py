"""Train the speaker ranker on PolNeAR train and write its weights (transforms/extract/models/speaker_ranker.json).

    .venv/bin/python bench/train_speakers.py [--corpus ../shared/polnear-train] [--cache /tmp/speaker_features.jsonl]

Our own extraction runs on every training text (the cascade's quotes and their candidate speakers, with
features); each quote is matched to the annotated attribution whose content holds it, and a candidate is
right when the article names it at the annotated source span (or the source is its name). The parsed
features are cached (not committed): a second run only refits. Logistic regression (scikit-learn, the
`train` extra), fixed settings: the same data gives the same file. Never measure on this split: the dev
score comes from `make polnear`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "eval"))

from score import speaker_matches, tokens  # noqa: E402

from flows.settings import DEFAULT_SPACY_MODEL  # noqa: E402
from transforms.extract.document import add_role_mentions  # noqa: E402
from transforms.extract.longtext import parse_texts  # noqa: E402
from transforms.extract.mentions import cluster_mentions, described_organisations, doc_mentions  # noqa: E402
from transforms.extract.quotes import quotes_with_candidates  # noqa: E402
from transforms.extract.roles import find_roles  # noqa: E402
from transforms.extract.speaker_ranker import FEATURES, MODEL_PATH  # noqa: E402

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "his", "her", "their"}
C_REGULARISATION = 1.0
UNCUED_PRECISION = 2 / 3  # a quote the rules left unattributed takes a speaker where 2 in 3 such picks are right
THRESHOLD_GRID = tuple(round(0.3 + 0.05 * k, 2) for k in range(14))


def body_mentions(text: str, doc):
    """The body's mentions as the pipeline builds them (clusters, roles, described organisations)."""
    mentions, entities = cluster_mentions(doc_mentions(doc, "body"), {"body": text})
    with_roles = add_role_mentions(text, mentions, find_roles(doc, mentions), entities)
    return sorted(with_roles.mentions + described_organisations(text, with_roles.mentions, with_roles.entities),
                  key=lambda m: m.start)


def _overlaps(spans, offsets) -> bool:
    return any(s < b and a < e for s, e in spans for a, b in offsets)


def _named(source: str) -> bool:
    return bool(source) and source.split()[0][:1].isupper() and source.lower() not in PRONOUNS \
        and not source.lower().startswith(("the ", "a ", "an "))


def label(quote, candidates, attributions) -> list[int] | None:
    """1 for the candidates that are the annotated source of the quote, None if no annotation holds it."""
    words = tokens(quote.text)
    holding = [a for a in attributions if words and len(words & tokens(a["content"]["text"])) / len(words) >= 0.8]
    holding.sort(key=lambda a: not a.get("direct_quote"))
    for a in holding[:1]:
        source = a.get("source") or {}
        offsets, text = source.get("offsets") or [], source.get("text") or ""
        return [int(_overlaps(c.spans, offsets) or (_named(text) and speaker_matches(c.name, text)))
                for c in candidates]
    return None


def extract(corpus: Path, cache: Path) -> None:
    """Parse every training text once and cache (doc, quote features, labels, cascade pick) per quote."""
    import spacy  # noqa: PLC0415 - heavy, only when the cache is missing
    from transforms.extract.sentences import add_paragraph_sentences  # noqa: PLC0415

    nlp = add_paragraph_sentences(spacy.load(DEFAULT_SPACY_MODEL))
    gold: dict[str, dict] = {}
    for line in (corpus / "polnear_train.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        gold.setdefault(record["doc"], record)
    names = sorted(gold)
    texts = [(corpus / "text" / f"{name}.txt").read_text(encoding="utf-8") for name in names]
    with cache.open("w", encoding="utf-8") as sink:
        for name, text, doc in zip(names, texts, parse_texts(nlp, texts), strict=True):
            attributions = [a for a in gold[name]["attributions"] if a.get("content")]
            for quote, candidates in quotes_with_candidates(doc, body_mentions(text, doc), None):
                if not candidates:
                    continue
                sink.write(json.dumps({"doc": name, "labels": label(quote, candidates, attributions),
                                       "rows": [c.vector().tolist() for c in candidates], "method": quote.method,
                                       "partial": quote.is_partial}) + "\n")


def _logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - the `train` extra only

    model = LogisticRegression(C=C_REGULARISATION, max_iter=5000, solver="lbfgs")
    model.fit(x, y)
    return model.coef_[0], float(model.intercept_[0])


def uncued_threshold(groups: list[dict], weights: np.ndarray, bias: float, partial: bool) -> float:
    """The lowest score at which the best candidate of a quote the rules left unattributed is right
    UNCUED_PRECISION of the time on train. A quote no attribution holds (a term, a title) counts as a wrong
    pick: giving it a speaker puts a scare quote among the quotations. A quote whose annotated source is no
    candidate (mostly a pronoun, whose person the labels cannot check) is left out, as in the ranker's fit."""
    picks = []
    for g in groups:
        if g["partial"] != partial or g["method"] != "none" or (g["labels"] is not None and not any(g["labels"])):
            continue
        scores = np.array(g["rows"]) @ weights + bias
        best = int(np.argmax(scores))
        picks.append((float(1.0 / (1.0 + np.exp(-scores[best]))), bool(g["labels"] and g["labels"][best])))
    for threshold in THRESHOLD_GRID:
        chosen = [right for score, right in picks if score >= threshold]
        if chosen and sum(chosen) / len(chosen) >= UNCUED_PRECISION:
            print(json.dumps({"partial": partial, "threshold": threshold, "uncued": len(picks),
                              "attributed": len(chosen), "right": sum(chosen)}))
            return threshold
    return 1.0


def _rows(groups: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([row for g in groups for row in g["rows"]])
    y = np.array([lab for g in groups for lab in (g["labels"] or [0] * len(g["rows"]))])
    return x, y


def fit(cache: Path, out: Path) -> None:
    """Fit the ranker on the quotes with a right candidate, and the uncued scorer on the quotes the rules left
    unattributed (those no attribution holds teach it when to leave a quote alone)."""
    groups = [json.loads(line) for line in cache.open(encoding="utf-8")]
    usable = [g for g in groups if g["labels"] and any(g["labels"])]
    weights, bias = _logistic(*_rows(usable))
    uncued = [g for g in groups if g["method"] == "none" and (g["labels"] is None or any(g["labels"]))]
    uncued_weights, uncued_bias = _logistic(*_rows(uncued))
    picked = cascade = 0
    for g in usable:
        scores = np.array(g["rows"]) @ weights
        picked += g["labels"][int(np.argmax(scores))]
        pick = [i for i, row in enumerate(g["rows"]) if row[FEATURES.index("cascade_pick")]]
        cascade += bool(pick) and g["labels"][pick[0]]
    print(json.dumps({"quotes": len(groups), "with_a_right_candidate": len(usable), "uncued": len(uncued),
                      "train_pick_accuracy": round(picked / len(usable), 3),
                      "cascade_pick_accuracy": round(cascade / len(usable), 3)}))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "model": "logistic regression (scikit-learn), one row per candidate speaker; a second one for uncued quotes",
        "trained_on": "PolNeAR train split (research data, no licence stated)",
        "features": list(FEATURES), "weights": [round(float(w), 6) for w in weights], "bias": round(bias, 6),
        "uncued_weights": [round(float(w), 6) for w in uncued_weights], "uncued_bias": round(uncued_bias, 6),
        "threshold": uncued_threshold(groups, uncued_weights, uncued_bias, False),
        "partial_threshold": uncued_threshold(groups, uncued_weights, uncued_bias, True)}, indent=1) + "\n",
        encoding="utf-8")


def cache_fits(cache: Path) -> bool:
    """A cache written by this code: its rows have today's features and record the quote's kind."""
    if not cache.exists():
        return False
    with cache.open(encoding="utf-8") as source:
        first = json.loads(source.readline() or "{}")
    return "partial" in first and len(first["rows"][0]) == len(FEATURES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED / "polnear-train")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/speaker_features.jsonl"))
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--refresh", action="store_true", help="parse the texts again even if the cache exists")
    args = parser.parse_args()
    if args.refresh or not cache_fits(args.cache):
        extract(args.corpus, args.cache)
    fit(args.cache, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scores against our own gold (`bench/gold`): the one scoring logic of `make dates`, `make entities` and the
quality floor test (`tests/bench/test_quality_floor.py`). It reads frames shaped like the warehouse tables, so
a loaded warehouse and the pipeline's frames in memory are scored alike.

Dates: a gold expression is found in `articles.body` by its `context` (unique in the body); it is *detected*
when a `temporal_expressions` row of that article overlaps it, and *right* when the row that overlaps it most
has the gold value and precision. A missing expression counts as wrong.

Entities: the entity part of the shared scorer (`../shared/eval/score.py`), restated here so the floor test
runs on a clean clone without `../shared`: a gold PERSON / ORG / GPE is found when a predicted entity of its
article has one of its names (canonical or a mention, normalised); precision counts predicted PERSON, ORG,
GPE and LOC entities; one gold name across articles should be one predicted entity (cross-document merge).
"""

from __future__ import annotations

import json
import re
import unicodedata
from calendar import monthrange
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

GOLD = Path(__file__).resolve().parent / "gold"
TEXTS = GOLD / "texts"
GOLD_SETS = ("dates", "dates-heldout", "entities")
SCORED_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE"})
COUNTED_ENTITY_TYPES = SCORED_ENTITY_TYPES | {"LOC"}  # predicted entities precision counts, as score.py does

# The quality floor test fails below these: the scores measured on the committed texts (7 December 2026,
# same as `make dates` / `make entities`) minus FLOOR_MARGIN. Stated in docs/quality.md ("The floor test").
FLOOR_MARGIN = 0.02
MEASURED = {
    "dates": {"accuracy": 0.973, "recall": 1.0},
    "dates-heldout": {"accuracy": 1.0, "recall": 1.0},
    "event-dates": {"coverage": 0.923, "accuracy": 1.0},  # the events of `dates`: `score_event_dates`
    "entities": {"entity_precision": 0.884, "entity_recall": 0.942, "entity_f1": 0.912, "entity_canonical": 0.897,
                 "entity_crossdoc_merge": 0.926},
}
FLOORS = {name: {metric: round(value - FLOOR_MARGIN, 3) for metric, value in scores.items()}
          for name, scores in MEASURED.items()}

BOUND = "on_or_before"  # `events.date_basis` of an upper bound
MIN_OVERLAP = 0.3  # token overlap of evidence that matches a gold event to a system event (as score.py)

_STRAIGHT_QUOTES = {"’": "'", "‘": "'", "“": '"', "”": '"'}


def load_gold(gold_dir: Path) -> list[dict]:
    """The gold files of a folder, in file-name order (the order every score walks them in)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]


def text_path(seed: str) -> Path:
    """Where the committed text of a gold seed is: ECB+ texts once per document (the date gold names them
    `ecb_<doc_id>.txt`, the entity gold `<doc_id>.txt`), AEB pages under their own names."""
    if seed.endswith(".html"):
        return TEXTS / "aeb" / seed
    return TEXTS / "ecb" / seed.removeprefix("ecb_")


def gold_inputs(golds: list[dict]) -> list[tuple[str, bytes]]:
    """(seed name, file bytes) of each gold article, as the pipeline would read it from a seeds folder."""
    return [(gold["seed"], text_path(gold["seed"]).read_bytes()) for gold in golds]


def warehouse_frames(db: Path, tables: tuple[str, ...]) -> dict[str, pl.DataFrame]:
    """Tables of a loaded warehouse as frames, to be scored like the pipeline's own frames."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.sql(f"select * from {name}").pl() for name in tables}


def _share(hits: int, total: int) -> float:
    """A ratio rounded as every score here is; nothing to find counts as all found (score.py's rule)."""
    return round(hits / total, 3) if total else 1.0


def _add(tally: dict[str, list[int]], metric: str, hits: int, total: int) -> None:
    before_hits, before_total = tally.get(metric, (0, 0))
    tally[metric] = [before_hits + hits, before_total + total]


def _rows_by_article(frame: pl.DataFrame) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in frame.iter_rows(named=True):
        grouped.setdefault(row["article_id"], []).append(row)
    return grouped


def _judge_date(gold: dict, body: str, rows: list[dict]) -> tuple[bool, str | None]:
    """(detected, None when resolved right else why not) for one gold expression."""
    at = body.find(gold["context"])
    if at < 0:
        return False, "context not in body"
    start = at + gold["context"].index(gold["text"])
    end = start + len(gold["text"])
    overlapping = [r for r in rows if r["start_char"] < end and start < r["end_char"]]
    if not overlapping:
        return False, "not detected"
    best = max(overlapping, key=lambda r: min(end, r["end_char"]) - max(start, r["start_char"]))
    value = best["resolved_date"].isoformat() if best["resolved_date"] else None
    if value == gold["value"] and best["date_precision"] == gold["precision"]:
        return True, None
    return True, f"got {best['text']!r} -> {value} {best['date_precision']}"


def score_dates(golds: list[dict], articles: pl.DataFrame, expressions: pl.DataFrame) -> dict:
    """Resolved-value accuracy and detection recall of the gold date expressions, per article and in all,
    with every expression not resolved right as (seed, gold expression, why)."""
    loaded = {r["seed_name"]: r for r in articles.iter_rows(named=True)}
    by_article = _rows_by_article(expressions)
    per_article, errors = {}, []
    for gold in golds:
        article = loaded.get(gold["seed"])
        verdicts = [_judge_date(d, article["body"], by_article.get(article["article_id"], []))
                    if article else (False, "article not loaded") for d in gold["dates"]]
        per_article[gold["seed"]] = {"expressions": len(verdicts), "detected": sum(d for d, _ in verdicts),
                                     "right": sum(why is None for _, why in verdicts)}
        errors += [(gold["seed"], d, why) for d, (_, why) in zip(gold["dates"], verdicts, strict=True) if why]
    total = {k: sum(t[k] for t in per_article.values()) for k in ("expressions", "detected", "right")}
    return {"articles": len(golds), **total, "accuracy": _share(total["right"], total["expressions"]),
            "recall": _share(total["detected"], total["expressions"]), "per_article": per_article, "errors": errors}


def norm(text: str | None) -> str:
    """A name as score.py compares it: NFKC, straight quotes, lower case, no possessive, no punctuation."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in _STRAIGHT_QUOTES.items():
        text = text.replace(curly, straight)
    text = re.sub(r"'s\b", "", text.lower())
    text = re.sub(r"[^\w\s-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def mentions_with_entities(mentions: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """Each entity mention with its entity's canonical name and type: what the entity score reads."""
    return mentions.select("article_id", "entity_id", "surface").join(
        entities.select("entity_id", "canonical_name", "entity_type"), on="entity_id")


def _predicted(rows: list[dict]) -> dict[str, dict]:
    """Predicted entities of one article: id -> normalised names (canonical and mentions), type, canonical."""
    predicted: dict[str, dict] = {}
    for row in rows:
        entity = predicted.setdefault(row["entity_id"], {"names": set(), "type": row["entity_type"],
                                                         "canonical": norm(row["canonical_name"])})
        entity["names"] |= {entity["canonical"], norm(row["surface"])}
    return predicted


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_entities(golds: list[dict], articles: pl.DataFrame, mentions: pl.DataFrame) -> dict[str, float]:
    """Entity precision, recall, F1, canonical names and cross-document merge, as score.py computes them
    (`mentions` as `entity_mentions` makes it)."""
    article_ids = dict(zip(articles["seed_name"], articles["article_id"], strict=True))
    by_article = _rows_by_article(mentions)
    tally: dict[str, list[int]] = {}
    merged: dict[str, set[str]] = {}
    for gold in golds:
        article_id = article_ids.get(gold["seed"])
        _add(tally, "articles_found", article_id is not None, 1)
        if article_id is None:
            continue
        predicted = _predicted(by_article.get(article_id, []))
        matched: set[str] = set()
        for entity in (e for e in gold["entities"] if e["type"] in SCORED_ENTITY_TYPES):
            names = {norm(entity["name"]), *map(norm, entity["aliases"])}
            hits = {pid for pid, p in predicted.items() if p["names"] & names}
            _add(tally, "entity_recall", bool(hits), 1)
            canonical = any(predicted[h]["canonical"] == norm(entity["name"]) for h in hits)
            _add(tally, "entity_canonical", canonical, 1)
            matched |= hits
            merged.setdefault(entity["name"], set()).update(hits)
        countable = [pid for pid, p in predicted.items() if str(p["type"]).upper() in COUNTED_ENTITY_TYPES]
        _add(tally, "entity_precision", len(matched.intersection(countable)), len(countable))
    for hits in filter(None, merged.values()):
        _add(tally, "entity_crossdoc_merge", len(hits) == 1, 1)
    out = {metric: _share(hits, total) for metric, (hits, total) in tally.items()}
    out["entity_f1"] = round(_f1(out.get("entity_precision", 0), out.get("entity_recall", 0)), 3)
    return out


# ---------------------------------------------------------------------------------------- event dates

def _tokens(text: str | None) -> set[str]:
    return set(norm(text).replace("-", " ").split())


def _period(value: date, precision: str) -> tuple[date, date]:
    """First and last day of a dated period (`week`: Monday to Sunday)."""
    if precision == "year":
        return date(value.year, 1, 1), date(value.year, 12, 31)
    if precision == "month":
        return value.replace(day=1), value.replace(day=monthrange(value.year, value.month)[1])
    if precision == "week":
        return value, date.fromordinal(value.toordinal() + 6)
    return value, value


def _gold_period(text: str) -> tuple[date, date]:
    precision = {4: "year", 7: "month"}.get(len(text), "day")
    return _period(date.fromisoformat(text + {4: "-01-01", 7: "-01"}.get(len(text), "")), precision)


def event_right(gold: dict, published: str | None, row: dict) -> bool:
    """A stated, reported, inherited or reference date is right when it is the gold date at the gold's precision;
    an `on_or_before` bound when the gold date (if the text gives one) lies on or before it and the bound is
    the article's own date (at the bound's precision: "≤ 2010" for an article of 5 May 2010 holds, and is
    counted apart by precision)."""
    start, end = _period(row["event_date"], row["date_precision"] or "day")
    if row["date_basis"] == BOUND:
        holds = gold["date"] is None or _gold_period(gold["date"])[0] <= end
        return holds and published is not None and start <= date.fromisoformat(published) <= end
    return gold["date"] is not None and (start, end) == _gold_period(gold["date"])


def match_events(golds: list[dict], events: list[dict], seeds: dict[str, str]) -> list[tuple[dict, dict, dict | None]]:
    """(gold article, gold event, matched system event or None): same article and type, evidence overlapping."""
    by_seed: dict[str, list[dict]] = {}
    for row in events:
        by_seed.setdefault(seeds.get(row["article_id"], ""), []).append(row)
    matched = []
    for gold in golds:
        rows, used = by_seed.get(gold["seed"], []), set()
        for event in gold["events"]:
            want = _tokens(event["evidence"])
            scored = [(1.0 if want <= _tokens(r["evidence"]) else len(want & _tokens(r["evidence"])) / len(want | _tokens(r["evidence"])), i)
                      for i, r in enumerate(rows) if i not in used and r["event_type"] == event["type"]]
            best = max((s for s in scored if s[0] >= MIN_OVERLAP), default=None)
            if best is not None:
                used.add(best[1])
            matched.append((gold, event, rows[best[1]] if best else None))
    return matched


def score_event_dates(golds: list[dict], articles: pl.DataFrame, events: pl.DataFrame) -> dict:
    """Gold events found, how many carry a date (`coverage`), and per `date_basis` how many are right
    (`accuracy` over all dated ones); see `event_right`."""
    seeds = dict(articles.select("article_id", "seed_name").iter_rows())
    matched = match_events([g for g in golds if g["events"]], list(events.iter_rows(named=True)), seeds)
    found = [(g, e, r) for g, e, r in matched if r is not None]
    per_basis: dict[str, list[int]] = {}
    errors = []
    for gold, event, row in found:
        if row["event_date"] is None:
            continue
        right = event_right(event, gold["article"].get("published_date"), row)
        basis = row["date_basis"] or "?"
        if basis == BOUND:  # a bound at the article's date or only at its year: not the same help to a reader
            basis += f" ({row['date_precision']})"
        tally = per_basis.setdefault(basis, [0, 0, 0])
        tally[0] += int(right)
        tally[1] += 1
        tally[2] += int(event["date"] is not None
                        and _period(row["event_date"], row["date_precision"] or "day") == _gold_period(event["date"]))
        if not right:
            errors.append((gold["seed"], event, row))
    dated = sum(t[1] for t in per_basis.values())
    right = sum(t[0] for t in per_basis.values())
    return {"gold_events": len(matched), "found": len(found), "dated": dated, "right": right,
            "coverage": _share(dated, len(found)), "accuracy": _share(right, dated),
            "per_basis": per_basis, "errors": errors,
            "missed": [(g["seed"], e) for g, e, r in matched if r is None]}

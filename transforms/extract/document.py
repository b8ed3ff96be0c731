"""Extraction stage for one batch of cleaned articles: spaCy (`nlp.pipe`) -> per-article frames.

The model is handed in by the caller; everything else is a pure function of the articles, so a batch
can run in any worker process. Cross-article ids are filled in later by `transforms.resolve.corpus`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime

from transforms.frames import Frames
from spacy.language import Language

from transforms.extract.doctext import doc_text
from transforms.article import CleanedArticle, stable_id
from transforms.dates import spec_to_json
from transforms.text import word_units
from transforms.extract.events import doc_dates, extract_event_mentions
from transforms.gazetteer import canonical_country
from transforms.extract.longtext import CHUNK_CHARS, parse_texts
from transforms.extract.mentions import (LocalEntity, Mention, cluster_mentions, described_organisations, doc_mentions,
                                 name_key)
from transforms.extract.roles import RoleFact, find_roles, role_only_mentions
from transforms.extract.quotes import extract_quotes
import contract

PER_ARTICLE_TABLES = contract.STAGED_TABLES
# The language the spaCy model reads: a body detected as another language keeps its metadata, body and
# clutter rows, and gets no entity, quote, date-expression or event rows (an English model on Indonesian
# text finds names in capitalised words and quotes and events in nothing it understands).
MODEL_LANGUAGE = "en"
SIDE_FIELDS = ("title", "credit_text")


def _sentence_case(headline: str) -> bool:
    """Most words after the first in lower case: the headline is written like a sentence."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", headline)[1:] if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) * 2 < len(words)


def metadata_mentions(article: CleanedArticle) -> list[Mention]:
    """Mentions in the dateline (place, region, agency) and byline (authors), which NER does not see."""
    meta = article.meta
    found: list[Mention] = []
    if meta.dateline_text and meta.dateline:
        text = meta.dateline_text
        at = text.find(meta.dateline)
        if at >= 0:
            found.append(Mention("dateline_text", at, at + len(meta.dateline), meta.dateline, "GPE"))
        if region := re.search(r",\s*([A-Z][\w.'’\- ]*?[\w.])\s*(?:\(|[—–:-]|$)", text):
            found.append(Mention("dateline_text", region.start(1), region.end(1), region.group(1), "GPE"))
        if agency := re.search(r"\(([^)]+)\)", text):
            name = agency.group(1)
            kind = "acronym" if name.isupper() else "name"
            found.append(Mention("dateline_text", agency.start(1), agency.end(1), name, "ORG", kind))
    if meta.byline_text:
        lowered = meta.byline_text.lower()
        for author in meta.authors:
            at = lowered.find(author.lower())
            if at >= 0:
                surface = meta.byline_text[at:at + len(author)]
                found.append(Mention("byline_text", at, at + len(author), surface, "PERSON", "byline"))
    return found


@dataclass(frozen=True)
class RoleMentions:
    mentions: list[Mention]  # the article's mentions plus its role-only ones, in text order
    entities: list[LocalEntity]  # the local entities plus one per unnamed person
    unnamed: dict[int, tuple[str, str | None]]  # local key -> (role, country) of those unnamed people


def add_role_mentions(body: str, mentions: list[Mention], facts: list[RoleFact],
                      local_entities: list[LocalEntity]) -> RoleMentions:
    """Role-only mentions added to the article's; those this article cannot resolve get a local entity of
    their own per unnamed person. The inputs are left as they are."""
    unnamed: dict[int, tuple[str, str | None]] = {}
    group_keys: dict[int, int] = {}
    entities = list(local_entities)
    added: list[Mention] = []
    for found in role_only_mentions(body, mentions, facts):
        mention = found.mention
        if mention.local_key == -1:
            if found.group not in group_keys:
                key = max((e.local_key for e in entities), default=-1) + 1
                entities.append(LocalEntity(key, "PERSON", mention.surface))
                group_keys[found.group] = key
                unnamed[key] = (found.role, found.country)
            mention = replace(mention, local_key=group_keys[found.group])
        added.append(mention)
    return RoleMentions(sorted(mentions + added, key=lambda m: (m.text_field != "body", m.start)), entities, unnamed)


def reads_english(article: CleanedArticle) -> bool:
    """The English model reads the body: English, or too short or uncertain to tell (most such bodies are)."""
    return article.meta.language in (None, MODEL_LANGUAGE)


def not_read_issue(language: str) -> str:
    return (f"language: entities, quotes, dates in the text and events are not extracted from a body in this "
            f"language; the model reads {MODEL_LANGUAGE} only ({language})")


def _article_rows(article: CleanedArticle, run_id: str, ingested_at: datetime,
                  issues: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """The rows every loaded article has (metadata, body, raw text, removed clutter), whatever its language."""
    meta = article.meta
    aid = article.article_id
    rows: dict[str, list[dict]] = {name: [] for name in PER_ARTICLE_TABLES}
    rows["articles"].append({
        "article_id": aid, "seed_name": article.seed_name, "content_sha256": article.content_sha256,
        "input_format": article.input_format, "encoding": article.encoding, "title": meta.title,
        "title_source": meta.title_source, "published_date_source": meta.published_date_source,
        "authors_source": meta.authors_source,
        "published_date": meta.published_date, "published_date_text": meta.published_date_text,
        "authors": meta.authors, "field_issues": list(meta.field_issues) + list(issues),
        "agency": meta.agency, "dateline": meta.dateline, "dateline_text": meta.dateline_text,
        "byline_text": meta.byline_text, "credit_text": meta.credit_text, "source_url": meta.source_url,
        "source_domain": meta.source_domain, "sitename": meta.sitename, "language": meta.language,
        "body": article.body, "word_count": word_units(article.body), "run_id": run_id, "ingested_at": ingested_at,
    })
    rows["raw_documents"].append({"article_id": aid, "seed_name": article.seed_name,
                                  "content_sha256": article.content_sha256, "size_bytes": article.size_bytes,
                                  "raw_text": article.raw_text})
    rows["article_clutter"] = [{"article_id": aid, "item_no": n, "line_no": r.line_no, "text": r.text,
                                "reason": r.reason, "kind": r.kind} for n, r in enumerate(article.removed, start=1)]
    return rows


def _rows_for_article(article: CleanedArticle, body_doc, side_docs: dict, run_id: str,
                      ingested_at: datetime) -> dict[str, list[dict]]:
    meta = article.meta
    aid = article.article_id
    mentions = doc_mentions(body_doc, "body")
    body_keys = {name_key(m.surface) for m in mentions}
    body_words = {word for key in body_keys for word in key.split()}
    for field, doc in side_docs.items():
        # NER over-tags title-case headlines ("Islamabad Seeks"): keep the names the story itself uses.
        # A headline in sentence case is tagged like prose: its names are kept ("Texas inmate caught").
        # Not a body name glued to more words, though ("Obama White House" when the body says "Obama").
        if field == "title" and _sentence_case(doc_text(doc)):
            mentions.extend(m for m in doc_mentions(doc, field) if name_key(m.surface) in body_keys
                            or not set(name_key(m.surface).split()) & body_words
                            or (m.label == "PERSON" and set(name_key(m.surface).split()) <= body_words))
            continue
        # A person's full name in the headline whose every word the story uses is kept ("Ana Lind" / "Lind").
        mentions.extend(m for m in doc_mentions(doc, field) if field != "title" or name_key(m.surface) in body_keys
                        or canonical_country(m.surface)
                        or (m.label == "PERSON" and set(name_key(m.surface).split()) <= body_words))
    mentions.extend(metadata_mentions(article))
    texts = {"body": article.body, **{field: doc_text(doc) for field, doc in side_docs.items()},
             "dateline_text": meta.dateline_text or "", "byline_text": meta.byline_text or ""}
    mentions, local_entities = cluster_mentions(mentions, texts)
    role_facts = find_roles(body_doc, mentions)
    with_roles = add_role_mentions(article.body, mentions, role_facts, local_entities)
    mentions, local_entities, unnamed_roles = with_roles.mentions, with_roles.entities, with_roles.unnamed
    mentions = sorted(mentions + described_organisations(article.body, mentions, local_entities),
                      key=lambda m: (m.text_field != "body", m.start))
    quotes = extract_quotes(body_doc, mentions)
    dates = doc_dates(body_doc)
    event_mentions = extract_event_mentions(body_doc, mentions, dates)
    date_ids = {(d.start, d.end): stable_id(aid, "date", d.start, d.end) for d in dates}
    rows = _article_rows(article, run_id, ingested_at)
    authors = {m.local_key for m in mentions if m.kind == "byline"}  # the reporters, not newsmakers
    rows["article_entities"] = [{"article_id": aid, "local_key": e.local_key, "entity_type": e.entity_type,
                                 "name": e.name, "surfaces": sorted(set(e.surfaces)), "acronyms": sorted(set(e.acronyms)),
                                 "role": "author" if e.local_key in authors else
                                 unnamed_roles.get(e.local_key, (None, None))[0],
                                 "role_country": unnamed_roles.get(e.local_key, (None, None))[1]}
                                for e in local_entities]
    rows["entity_roles"] = [{"article_id": aid, "local_key": f.local_key, "role": f.role, "role_text": f.role_text,
                             "role_country": f.country, "start_char": f.start, "end_char": f.end}
                            for f in {(f.local_key, f.start): f for f in role_facts}.values()]
    rows["entity_mentions"] = [{"mention_id": stable_id(aid, m.text_field, m.start, m.end), "article_id": aid,
                                "surface": m.surface, "start_char": m.start, "end_char": m.end,
                                "text_field": m.text_field, "mention_kind": m.kind, "ner_label": m.label,
                                "local_key": m.local_key} for m in mentions]
    rows["quotes"] = [{"quote_id": stable_id(aid, "quote", q.start, q.end), "article_id": aid,
                       "quote_text": q.text, "speaker_name": q.speaker_name, "speaker_local_key": q.speaker_local_key,
                       "is_partial": q.is_partial, "quote_kind": "partial" if q.is_partial else "direct",
                       "attribution_verb": q.attribution_verb, "attribution_method": q.method,
                       "confidence": q.confidence, "speaker_status": q.speaker_status, "start_char": q.start,
                       "end_char": q.end} for q in quotes]
    rows["temporal_expressions"] = [
        {"expression_id": date_ids[(d.start, d.end)], "article_id": aid, "start_char": d.start, "end_char": d.end,
         "text": d.text, "kind": d.spec.kind, "spec": spec_to_json(d.spec)} for d in dates]
    rows["event_mentions"] = [
        {"mention_id": stable_id(aid, e.event_type, e.trigger_start, e.trigger_end), "article_id": aid,
         "event_type": e.event_type, "trigger": e.trigger, "trigger_start": e.trigger_start,
         "trigger_end": e.trigger_end, "start_char": e.start, "end_char": e.end, "paragraph_no": e.paragraph_no,
         "status": e.status, "modality": e.modality, "tense": e.tense, "is_background": e.background,
         "is_anaphoric": e.anaphoric, "date_expression_id": date_ids.get((e.date.start, e.date.end)) if e.date else None,
         "date_via": e.date_via, "attributes": json.dumps(e.attributes, sort_keys=True) if e.attributes else None,
         "actor_local_keys": e.actor_keys, "location_local_key": e.location_key} for e in event_mentions]
    return rows


def to_frames(rows: dict[str, list[dict]]) -> Frames:
    """Row dicts -> frames with exactly the contract's columns and types."""
    return {name: contract.rows_to_frame(table_rows, contract.TABLES_BY_NAME[name]) for name, table_rows in rows.items()}


def analyze_batch(articles: list[CleanedArticle], nlp: Language, run_id: str, ingested_at: datetime,
                  batch_size: int = 16, chunk_chars: int = CHUNK_CHARS) -> Frames:
    """Parse a batch with one `nlp.pipe` pass over bodies and one over titles/credit lines (batches run
    side by side in the flow's worker processes, not in spaCy's). A body longer than `chunk_chars` is
    parsed in pieces joined into one doc (`transforms.extract.longtext`)."""
    read = [i for i, a in enumerate(articles) if reads_english(a)]
    parsed = parse_texts(nlp, (articles[i].body for i in read), batch_size=batch_size, chunk_chars=chunk_chars)
    body_docs = dict(zip(read, parsed, strict=True))
    side_inputs = [(i, field, getattr(articles[i].meta, field)) for i in read for field in SIDE_FIELDS
                   if getattr(articles[i].meta, field)]
    side_docs: dict[int, dict] = {}
    side_parsed = nlp.pipe((text for _, _, text in side_inputs), batch_size=64)
    for (i, field, _), doc in zip(side_inputs, side_parsed, strict=True):
        side_docs.setdefault(i, {})[field] = doc
    rows: dict[str, list[dict]] = {name: [] for name in PER_ARTICLE_TABLES}
    for i, article in enumerate(articles):
        article_rows = (_rows_for_article(article, body_docs[i], side_docs.get(i, {}), run_id, ingested_at)
                        if i in body_docs else
                        _article_rows(article, run_id, ingested_at, (not_read_issue(article.meta.language or ""),)))
        for name, table_rows in article_rows.items():
            rows[name].extend(table_rows)
    return to_frames(rows)

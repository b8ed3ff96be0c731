"""Batch-level stage functions behind the Prefect tasks. Plain, picklable functions of their arguments
(files are read and hashed at the input edge, `flows.sources`), so the same flow can run on a Dask or
Ray task runner and the tests can call them without Prefect.

A failure on one document becomes a `Rejected` for that document; the batch goes on.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import polars as pl
import spacy

from flows.sources import RawFile
from transforms.article import CleanedArticle, Rejected
from transforms.clean.document import clean_document
from transforms.clean.decode import Decoded, NotArticleText, decode_bytes
from transforms.resolve.corpus import derive_corpus
from contract.window import DateWindow
from transforms.extract.document import analyze_batch
from transforms.extract.sentences import add_paragraph_sentences
from transforms.frames import Frames, concat_frames, drop_articles

log = logging.getLogger(__name__)
MIN_BODY_WORDS = 1


@dataclass(frozen=True)
class DecodedFile:
    raw: RawFile
    decoded: Decoded


@lru_cache(maxsize=2)
def load_nlp(model_name: str):
    """The spaCy pipeline, loaded once per worker process (by its initializer, before the first batch)."""
    return add_paragraph_sentences(spacy.load(model_name))


def decode_batch(files: list[RawFile]) -> tuple[list[DecodedFile], list[Rejected]]:
    """Decode a batch of read files."""
    ok: list[DecodedFile] = []
    rejected: list[Rejected] = []
    for raw in files:
        try:
            decoded = decode_bytes(raw.data)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
            decoded = Rejected("decode_error", f"{type(exc).__name__}: {exc}")
        if isinstance(decoded, Rejected):
            rejected.append(decoded.of(raw.seed_name))
            continue
        ok.append(DecodedFile(raw, decoded))
    return ok, rejected


def clean_batch(files: list[DecodedFile]) -> tuple[list[CleanedArticle], list[Rejected]]:
    """Clean a batch; a document with no article text left is rejected, not loaded empty."""
    articles: list[CleanedArticle] = []
    rejected: list[Rejected] = []
    for item in files:
        try:
            article = clean_document(item.raw.seed_name, item.raw.content_sha256, item.raw.size_bytes, item.decoded)
        except NotArticleText as refusal:
            rejected.append(Rejected(refusal.check, refusal.reason, item.raw.seed_name))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
            log.warning("cleaning failed for %s: %s", item.raw.seed_name, traceback.format_exc(limit=3))
            rejected.append(Rejected("clean_error", f"{type(exc).__name__}: {exc}", item.raw.seed_name))
            continue
        if len(article.body.split()) < MIN_BODY_WORDS:
            rejected.append(Rejected("no_article_text", "no article text left after removing page clutter",
                                     item.raw.seed_name))
            continue
        articles.append(article)
    return articles, rejected


def extract_batch(articles: list[CleanedArticle], model_name: str, run_id: str, ingested_at: datetime
                  ) -> tuple[Frames, list[Rejected]]:
    """NER, quotes and events for a batch (one `nlp.pipe` pass); falls back to one document at a time
    to isolate a document that breaks extraction."""
    nlp = load_nlp(model_name)
    try:
        return analyze_batch(articles, nlp, run_id, ingested_at), []
    except Exception:  # noqa: BLE001
        log.warning("batch extraction failed; retrying document by document")
    parts: list[Frames] = []
    rejected: list[Rejected] = []
    for article in articles:
        try:
            parts.append(analyze_batch([article], nlp, run_id, ingested_at))
        except Exception as exc:  # noqa: BLE001
            rejected.append(Rejected("extract_error", f"{type(exc).__name__}: {exc}", article.seed_name))
    return (concat_frames(parts) if parts else analyze_batch([], nlp, run_id, ingested_at)), rejected


def resolve_batch(frames: Frames, window: DateWindow) -> tuple[Frames, list[Rejected]]:
    """The corpus stage over every article. Should it fail, each article is derived alone to find the ones
    that break it; those are rejected (`resolve_error`) and the rest derived together: one article cannot
    stop a run. (A failure that only a combination of articles causes still raises.)"""
    try:
        return derive_corpus(frames, window), []
    except Exception:  # noqa: BLE001
        log.warning("the corpus stage failed; deriving article by article to find the cause")
    rejected, bad_ids = [], []
    articles = frames["articles"]
    for article_id, seed_name in articles.select("article_id", "seed_name").rows():
        alone = {name: frame.filter(pl.col("article_id") == article_id) if "article_id" in frame.columns else frame
                 for name, frame in frames.items()}
        try:
            derive_corpus(alone, window)
        except Exception as exc:  # noqa: BLE001
            bad_ids.append(article_id)
            rejected.append(Rejected("resolve_error", f"{type(exc).__name__}: {exc}", seed_name))
    return derive_corpus(drop_articles(frames, bad_ids), window), rejected


def process_batch(files: list[RawFile], model_name: str, run_id: str, ingested_at: datetime
                  ) -> tuple[Frames, list[Rejected]]:
    """Decode, clean and extract one batch of read files: the unit of work a worker process runs."""
    decoded, rejected = decode_batch(files)
    articles, clean_rejected = clean_batch(decoded)
    frames, extract_rejected = extract_batch(articles, model_name, run_id, ingested_at)
    return frames, rejected + clean_rejected + extract_rejected

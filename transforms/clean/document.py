"""Cleaning stage entry point: one decoded document -> one `CleanedArticle` (plain text or HTML)."""

from __future__ import annotations

from transforms.article import CleanedArticle, article_id_for
from transforms.clean.decode import Decoded, NotArticleText, encoded_blob
from transforms.clean.html_clean import clean_html
from transforms.clean.language import detect_language
from transforms.clean.text_clean import clean_plain_text


def clean_document(seed_name: str, content_sha256: str, size_bytes: int, decoded: Decoded) -> CleanedArticle:
    clean = clean_html if decoded.input_format == "html" else clean_plain_text
    body, meta, removed = clean(decoded.text)
    if blob := encoded_blob(body):  # a page whose article text is an encoded payload (plain text: at decoding)
        raise NotArticleText(blob.check, blob.reason)
    meta.language = meta.language or detect_language(body)
    return CleanedArticle(
        article_id=article_id_for(seed_name),
        seed_name=seed_name,
        content_sha256=content_sha256,
        size_bytes=size_bytes,
        input_format=decoded.input_format,
        encoding=decoded.encoding,
        raw_text=decoded.text,
        body=body,
        meta=meta,
        removed=tuple(removed),
    )

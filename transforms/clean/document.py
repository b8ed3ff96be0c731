"""Cleaning stage entry point: one decoded document -> one `CleanedArticle` (plain text or HTML)."""

from __future__ import annotations

import contract
from transforms.article import CleanedArticle, Removed, article_id_for, note_field_issue
from transforms.clean.decode import Decoded, NotArticleText, encoded_blob
from transforms.clean.html_clean import clean_html
from transforms.clean.language import detect_language
from transforms.clean.text_clean import clean_plain_text
from transforms.text import word_units


def clutter_doubt(body: str, removed: list[Removed]) -> str | None:
    """The doubt to record when most of the input was removed as clutter and the body left is short: such a
    body is kept (a short news item or a page in an unspaced script is still an article), the doubt noted."""
    removed_chars = sum(len(r.text) for r in removed)
    share = removed_chars / max(removed_chars + len(body), 1)
    units = word_units(body)
    if share <= contract.CLUTTER_SHARE_LIMIT or units >= contract.SHORT_BODY_WORDS:
        return None
    return (f"body: short and most of the input removed as clutter; kept, check it is the whole article "
            f"({units} words, {share:.0%} of the characters removed)")


def clean_document(seed_name: str, content_sha256: str, size_bytes: int, decoded: Decoded) -> CleanedArticle:
    clean = clean_html if decoded.input_format == "html" else clean_plain_text
    body, meta, removed = clean(decoded.text)
    if blob := encoded_blob(body):  # a page whose article text is an encoded payload (plain text: at decoding)
        raise NotArticleText(blob.check, blob.reason)
    meta.language = meta.language or detect_language(body)
    if doubt := clutter_doubt(body, removed):
        note_field_issue(meta, doubt)
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

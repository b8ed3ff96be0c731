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


# Removal reasons that are our own guess from a line's shape (short, no sentence), not a known pattern.
GUESSED_REASONS = frozenset({"page_chrome"})


def restore_guessed_lines(body: str, removed: list[Removed]) -> tuple[str, list[Removed], str | None]:
    """When cleaning leaves no body but some lines went only on a guess from their shape (a headline-only
    story: "Swimming star dies at 91"), those lines are the body: a reader would call the file an article.
    Returns the body, what stays removed, and the doubt to record (None when nothing was restored)."""
    guessed = [r for r in removed if r.reason in GUESSED_REASONS]
    if body.strip() or not guessed:
        return body, removed, None
    restored = "\n\n".join(r.text.strip() for r in sorted(guessed, key=lambda r: r.line_no))
    issue = f"body: only lines cleaning took for page chrome were left; kept as the body ({len(guessed)} of them)"
    return restored, [r for r in removed if r.reason not in GUESSED_REASONS], issue


def clean_document(seed_name: str, content_sha256: str, size_bytes: int, decoded: Decoded) -> CleanedArticle:
    clean = clean_html if decoded.input_format == "html" else clean_plain_text
    body, meta, removed = clean(decoded.text)
    body, removed, restored = restore_guessed_lines(body, list(removed))
    if restored:
        note_field_issue(meta, restored)
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

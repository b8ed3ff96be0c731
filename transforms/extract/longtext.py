"""Parsing bodies of any length: a long body is parsed in pieces and the pieces joined into one `Doc`.

spaCy refuses a text longer than `nlp.max_length` (1,000,000 characters, error E088) and needs memory
in proportion to the text it parses at once, so a body longer than `CHUNK_CHARS` is cut into pieces of
at most that many characters, at paragraph breaks where it can (else after a sentence end, else at
whitespace). The pieces concatenate exactly to the body; each is parsed on its own and `Doc.from_docs`
joins them, so every rule downstream sees one `Doc` whose character offsets are those of the whole body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

# A body longer than this is parsed in pieces of at most this many characters. Well under spaCy's
# `max_length`: the parser's working memory grows with the text it is given at once (a 200,000-word body
# peaked at 0.56 GB resident in pieces of 50,000 characters, 0.66 GB in pieces of 100,000).
CHUNK_CHARS = 50_000
# A sentence end a piece may be cut after, when a paragraph is longer than a piece: closing punctuation,
# closing quotes or brackets, then whitespace.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")
_WHITESPACE = re.compile(r"\s+")


def _last_end(pattern: re.Pattern[str], text: str, start: int, stop: int) -> int | None:
    """End of the last match of `pattern` wholly inside `text[start:stop]`, if it ends after `start`."""
    end = None
    for match in pattern.finditer(text, start, stop):
        end = match.end()
    return end if end is not None and end > start else None


def split_for_parse(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """`text` as pieces of at most `limit` characters that concatenate to it exactly. Each piece ends at
    the last paragraph break (a blank line, cut after it) that fits; a paragraph longer than `limit` is cut
    after its last sentence end that fits, else after whitespace, else (one unbroken run of `limit`
    characters) at `limit`."""
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        stop = start + limit
        at = text.rfind("\n\n", start, stop)
        cut = at + 2 if at > start else None
        if cut is None:
            cut = _last_end(_SENTENCE_END, text, start, stop) or _last_end(_WHITESPACE, text, start, stop) or stop
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def parse_texts(nlp: Language, texts: Iterable[str], batch_size: int = 16,
                chunk_chars: int = CHUNK_CHARS) -> Iterator[Doc]:
    """One `Doc` per text, in order, as `nlp.pipe` would give them; a text longer than `chunk_chars` (or
    than the model's `max_length`) is parsed piece by piece (`split_for_parse`) and its pieces joined
    into one `Doc` with the text's own offsets. Short texts go through `nlp.pipe` in batches as usual."""
    texts = list(texts)
    chunk_chars = min(chunk_chars, nlp.max_length)
    pending: list[int] = []  # indices of short texts not yet parsed

    def flush() -> Iterator[Doc]:
        yield from nlp.pipe((texts[i] for i in pending), batch_size=batch_size)
        pending.clear()

    for i, text in enumerate(texts):
        if len(text) <= chunk_chars:
            pending.append(i)
            continue
        yield from flush()
        yield parse_long(nlp, text, chunk_chars)
    yield from flush()


def parse_long(nlp: Language, text: str, chunk_chars: int = CHUNK_CHARS) -> Doc:
    """One `Doc` of a text of any length, parsed one piece at a time (at most `chunk_chars` characters)."""
    pieces = split_for_parse(text, chunk_chars)
    if len(pieces) == 1:
        return nlp(text)
    docs = list(nlp.pipe(pieces, batch_size=1))
    # The rules read tokens, sentences, entities and the parse; the tok2vec tensor is not copied.
    doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])
    if doc.text != text:  # from_docs rebuilds the text from the tokens: it must be the same text
        raise ValueError(f"the joined parse of a {len(text)}-character text does not give the text back")
    return doc

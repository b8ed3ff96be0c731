"""A spaCy component that starts a new sentence at every paragraph break.

Bodies keep paragraphs apart with a blank line. A lede without a final period ("… said Thursday") would
otherwise run into the next paragraph as one sentence, and evidence spans would cross paragraphs.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "paragraph_sentences"


@Language.component(COMPONENT)
def paragraph_sentences(doc: Doc) -> Doc:
    after_break = False
    for token in doc:
        if token.is_space and token.text.count("\n") >= 2:
            after_break = True
            continue
        if after_break and token.i > 0:
            token.is_sent_start = True
        after_break = False
    return doc


def add_paragraph_sentences(nlp: Language) -> Language:
    """Install the component before the parser (which respects sentence starts set before it)."""
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser" if "parser" in nlp.pipe_names else None)
    return nlp

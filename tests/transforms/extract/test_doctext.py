"""The text of a spaCy doc, built once per doc and kept beside it."""

import spacy

from transforms.extract.doctext import doc_text


def test_the_text_is_built_once_and_the_doc_is_unchanged():
    nlp = spacy.blank("en")
    doc = nlp("Ferry crews ended their strike on Thursday.\n\nTimetables return to normal next week.")
    text = doc_text(doc)
    assert text == doc.text
    assert doc_text(doc) is text  # the kept string, not a new one
    assert len(doc) == len(nlp(text)) and doc.text == text


def test_each_doc_keeps_its_own_text():
    nlp = spacy.blank("en")
    first, second = nlp("The pier reopened."), nlp("The pier closed.")
    assert (doc_text(first), doc_text(second)) == ("The pier reopened.", "The pier closed.")

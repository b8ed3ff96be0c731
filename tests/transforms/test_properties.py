"""Property-based tests (hypothesis): the cleaners and extractors never raise on arbitrary input, and every
offset they produce points into the body and reproduces the stored text."""

from __future__ import annotations

from datetime import date, datetime

import lxml.html
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expectations.checks import span_check_name, with_checks
from transforms.article import CleanedArticle, Metadata
from transforms.clean.document import clean_document
from transforms.resolve.corpus import derive_corpus
from contract.window import DateWindow
from transforms.dates import find_dates
from transforms.article import Rejected
from transforms.clean.decode import Decoded, NotArticleText, decode_bytes
from transforms.extract.document import analyze_batch
from transforms.text import line_key
import contract

WINDOW = DateWindow(date(2026, 12, 1))

# Words that exercise every extractor: names, titles, speech verbs, event triggers, dates, quotes.
VOCABULARY = [
    "Pakistan", "Afghanistan", "Kabul", "Mayor", "Elena", "Marsh", "Defense", "Minister", "said", "told",
    "reporters", "talks", "ceasefire", "clashes", "killed", "explosion", "airstrikes", "border", "closed",
    "reopened", "on", "Thursday", "Oct.", "19", "2023", "last", "month", "in", "the", "a", "of", "and", "not",
    "if", "will", "had", "“", "”", "\"", "'", ",", ".", "—", "\n\n", "UN", "TTP", "Sponsored", "by",
    "https://example.com", "(AP)", "ANKARA", "—", "By", "JOHN", "DOE",
]
sentences = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=80).map(" ".join)
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=600)


def _words(text: str) -> set[str]:
    return set(line_key(text).split())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_gives_text_or_a_reason(data):
    result = decode_bytes(data)
    if isinstance(result, Rejected):
        assert result.reason.strip()
    else:
        assert isinstance(result, Decoded) and result.encoding
        result.text.encode("utf-8")  # no lone surrogates: the text can be stored as it is


@settings(max_examples=150, deadline=None)
@given(st.one_of(any_text, sentences))
def test_plain_text_cleaner_loses_no_word(text):
    article = clean_document("x.txt", "sha", len(text), Decoded(text, "utf-8", "text"))
    kept = _words(article.body) | {w for r in article.removed for w in _words(r.text)} \
        | _words(article.meta.title or "")
    assert _words(text) <= kept


@settings(max_examples=80, deadline=None)
@given(st.one_of(any_text, sentences))
def test_html_cleaner_invents_no_word(text):
    html = f"<html><head><title>t</title></head><body><nav>Home</nav><article><p>{text}</p></article></body></html>"
    try:
        article = clean_document("x.html", "sha", len(html), Decoded(html, "utf-8", "html"))
    except NotArticleText:
        return
    assert _words(article.body) <= _words(" ".join(lxml.html.fromstring(html).itertext()))


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, sentences))
def test_date_spans_point_into_the_text(text):
    for mention in find_dates(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(st.one_of(sentences, any_text), min_size=1, max_size=3))
def test_extracted_offsets_reproduce_the_body(nlp, bodies):
    articles = [CleanedArticle(f"id{i}", f"doc{i}.txt", "sha", 1, "text", "utf-8", body, body, Metadata(), ())
                for i, body in enumerate(bodies) if body.strip()]
    if not articles:
        return
    frames = derive_corpus(analyze_batch(articles, nlp, "run", datetime(2024, 1, 1)), WINDOW)
    for table in contract.TABLES:
        frame = frames.get(table.name)
        if not table.spans or frame is None or frame.height == 0:
            continue
        checked = with_checks(table, frame, frames, WINDOW)
        for rule in table.spans:
            assert checked[span_check_name(rule)].all(), (table.name, checked.filter(
                ~pl.col(span_check_name(rule))).head(3))

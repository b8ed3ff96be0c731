"""Bodies longer than spaCy's `max_length` (and than one parse piece) are parsed in pieces and joined: the
cutter's pieces, and every span of a long article's extraction pointing at its own text."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime

import pytest

from contract import TABLES_BY_NAME
from flows.settings import Settings
from flows.sources import RawFile
from flows.stages import process_batch
from transforms.clean.document import clean_document
from transforms.clean.decode import decode_bytes
from transforms.extract.document import analyze_batch
from transforms.extract.longtext import CHUNK_CHARS, parse_texts, split_for_parse

FIRST = ["Ana", "Omar", "Li", "Maria", "Tomas", "Grace", "Yusuf", "Elena", "Kofi", "Ingrid", "Rahul", "Sofia"]
LAST = ["Lind", "Haddad", "Wei", "Santos", "Novak", "Mensah", "Okafor", "Marsh", "Patel", "Berg", "Costa", "Ito"]
CITIES = ["Lowtown", "Rivertown", "Kabul", "Nairobi", "Geneva", "Lima", "Oslo", "Karachi", "Bogota", "Hanoi"]
COUNTRIES = ["Kenya", "Peru", "Norway", "Pakistan", "Colombia", "Vietnam", "Afghanistan", "Switzerland"]
ORGS = ["the United Nations", "the Red Cross", "the World Bank", "the Interior Ministry", "Reuters",
        "the International Monetary Fund", "the European Union"]
ROLES = ["spokesperson", "defense minister", "mayor", "police chief", "foreign minister", "governor"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
QUOTES = ["We will not take risks with people's lives", "The talks have reached a critical point",
          "Nobody expected the fighting to spread so fast", "Our teams are working day and night",
          "This agreement is a first step, not the last one", "The border must stay open for aid"]
SENTENCES = [
    "{person}, the {role} of {country}, said on {day} that talks with {org} would resume in {city}.",
    "“{quote},” {person} told reporters in {city} on {month} {d}, {year}.",
    "“{quote},” said {person}, who leads the delegation of {country}.",
    "Clashes in {city} killed {n} people on {month} {d}, according to {org}.",
    "A ceasefire between the two sides took effect last {day}, {person} said.",
    "{org} said an airstrike near {city} on {month} {d} had destroyed a bridge.",
    "Negotiations in {city} ended on {day} without agreement, and {person} left for {country}.",
    "Officials in {city} closed the border crossing with {country} in {month} {year}.",
    "{person} arrived in {city} on {month} {d} for a summit with {person2}.",
    "Traders said prices in {city} had doubled since {month}, and the council promised help.",
]
# Words for a sentence of its own in each paragraph, so that paragraphs do not read as near duplicates of
# each other (the cleaner drops those).
ADJECTIVES = ["old", "northern", "flooded", "busy", "narrow", "wooden", "eastern", "crowded", "quiet", "ruined",
              "main", "southern", "new", "damaged", "central", "western", "coastal", "empty", "famous", "rural"]
NOUNS = ["bridge", "market", "hospital", "school", "harbour", "railway", "factory", "mosque", "stadium", "airport",
         "village", "library", "clinic", "warehouse", "farm", "museum", "prison", "tunnel", "dam", "refinery",
         "bakery", "garage", "cathedral", "quarry", "orchard", "pier", "barracks", "cinema", "bank", "hotel"]
VERBS = ["repaired", "closed", "visited", "inspected", "guarded", "rebuilt", "evacuated", "painted", "sold",
         "searched", "flooded", "opened", "fenced", "cleaned", "photographed", "mapped", "measured", "emptied"]
GROUPS = ["volunteers", "engineers", "soldiers", "students", "farmers", "inspectors", "nurses", "fishermen",
          "teachers", "miners", "drivers", "monks", "carpenters", "journalists", "pilots", "bakers"]


def long_article(words: int, seed: int = 18) -> str:
    """An invented article of at least `words` words: paragraphs of varied sentences naming people,
    places, organisations and dates, with quotations and events, separated by blank lines."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            sentence = rng.choice(SENTENCES).format(
                person=f"{rng.choice(FIRST)} {rng.choice(LAST)}", person2=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                role=rng.choice(ROLES), country=rng.choice(COUNTRIES), org=rng.choice(ORGS), city=rng.choice(CITIES),
                day=rng.choice(DAYS), month=rng.choice(MONTHS), d=rng.randint(1, 28), year=rng.randint(2015, 2024),
                quote=rng.choice(QUOTES), n=rng.randint(2, 40))
            sentences.append(sentence[0].upper() + sentence[1:])
        for _ in range(2):
            sentences.append(f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} near the {rng.choice(NOUNS)} was "
                             f"{rng.choice(VERBS)} by {rng.choice(GROUPS)} and {rng.choice(GROUPS)}.")
        rng.shuffle(sentences)
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs) + "\n"


# The span tables of the extraction stage: (table, start column, end column, text column, field column).
SPANS = [(table.name, rule.start, rule.end, rule.surface, rule.text_field)
         for table in TABLES_BY_NAME.values() for rule in table.spans]


def assert_spans_in_body(frames, body: str) -> dict[str, int]:
    """Every span row of the frames is the body's text at its offsets; rows checked per table."""
    checked: dict[str, int] = {}
    for name, start, end, surface, field in SPANS:
        if name not in frames:
            continue
        frame = frames[name]
        rows = frame.to_dicts()
        if field is not None:
            rows = [row for row in rows if row[field] == "body"]
        for row in rows:
            assert body[row[start]:row[end]] == row[surface], (name, row)
        checked[name] = len(rows)
    return checked


# --- the cutter ---------------------------------------------------------------------------------------

def test_pieces_end_at_paragraph_breaks_and_give_the_text_back():
    text = long_article(3000, seed=1)
    pieces = split_for_parse(text, 2000)
    assert "".join(pieces) == text
    assert len(pieces) > 5
    assert all(0 < len(piece) <= 2000 for piece in pieces)
    assert all(piece.endswith("\n\n") for piece in pieces[:-1])


def test_a_paragraph_longer_than_a_piece_is_cut_after_sentences():
    paragraph = " ".join(f"Sentence number {i} says that Ana Lind spoke in Oslo." for i in range(200))
    text = "First paragraph.\n\n" + paragraph + "\n\nLast paragraph."
    pieces = split_for_parse(text, 500)
    assert "".join(pieces) == text
    assert all(0 < len(piece) <= 500 for piece in pieces)
    assert pieces[0] == "First paragraph.\n\n"
    inside = pieces[1:-1]
    assert all(piece.endswith("Oslo. ") for piece in inside[:-1])


def test_text_without_sentence_ends_is_cut_at_whitespace_then_anywhere():
    words = "word " * 300
    pieces = split_for_parse(words, 101)
    assert "".join(pieces) == words and all(len(p) <= 101 and p.endswith(" ") for p in pieces[:-1])
    run = "x" * 1050
    pieces = split_for_parse(run, 100)
    assert "".join(pieces) == run and [len(p) for p in pieces] == [100] * 10 + [50]


def test_short_text_is_one_piece():
    assert split_for_parse("One paragraph.\n\nTwo.", 100) == ["One paragraph.\n\nTwo."]
    assert split_for_parse("", 100) == [""]


# --- parsing in pieces --------------------------------------------------------------------------------

def test_joined_parse_keeps_offsets_sentences_and_entities(nlp):
    short = "Ana Lind spoke in Oslo on Monday."
    text = long_article(1500, seed=2)
    docs = list(parse_texts(nlp, [short, text, short], chunk_chars=1000))
    assert [doc.text for doc in docs] == [short, text, short]
    doc = docs[1]
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)
    assert all(text[e.start_char:e.end_char] == e.text for e in doc.ents)
    assert len(doc.ents) > 100 and doc.has_annotation("DEP")
    # every paragraph starts a sentence, and no sentence runs across a paragraph break
    paragraph_starts = {0} | {i + 2 for i in range(len(text)) if text.startswith("\n\n", i)}
    sentence_starts = {sent.start_char for sent in doc.sents}
    assert paragraph_starts - {len(text)} <= sentence_starts
    assert not any("\n\n" in sent.text.strip() for sent in doc.sents)


def test_pieces_never_exceed_the_model_max_length(nlp):
    text = long_article(1000, seed=4)
    saved = nlp.max_length
    nlp.max_length = 2000
    try:
        with pytest.raises(ValueError, match="E088"):
            nlp(text)
        [doc] = parse_texts(nlp, [text], chunk_chars=10 ** 7)
    finally:
        nlp.max_length = saved
    assert doc.text == text


def test_small_pieces_give_every_span_at_its_offsets(nlp):
    """Many piece boundaries (pieces of 1,500 characters, and one paragraph longer than a piece)."""
    body = long_article(4000, seed=3)
    long_paragraph = " ".join(f"“{q},” {name} said in Geneva on March {i % 28 + 1}." for i, (q, name) in
                              enumerate(zip(QUOTES * 10, [f"{f} {l}" for f, l in zip(FIRST * 5, LAST * 5)])))
    body = body.replace("\n\n", "\n\n" + long_paragraph + "\n\n", 1)
    data = body.encode()
    article = clean_document("long.txt", hashlib.sha256(data).hexdigest(), len(data), decode_bytes(data))
    assert long_paragraph in article.body
    frames = analyze_batch([article], nlp, "run", datetime(2026, 1, 1), chunk_chars=1500)
    checked = assert_spans_in_body(frames, article.body)
    assert checked["entity_mentions"] > 500 and checked["quotes"] > 50
    assert checked["temporal_expressions"] > 100 and checked["event_mentions"] > 100


def _extract_as_a_worker_does(words: int) -> tuple[dict, str]:
    """Decode, clean and extract an invented article of `words` words as a worker does: (frames, stored body)."""
    data = long_article(words).encode()
    raw = RawFile("long.txt", data, hashlib.sha256(data).hexdigest(), len(data))
    frames, rejected = process_batch([raw], Settings().spacy_model, "run", datetime(2026, 1, 1))
    assert rejected == []
    [stored] = frames["articles"]["body"].to_list()
    assert len(stored.split()) >= words
    return frames, stored


@pytest.mark.slow
def test_an_article_of_several_parse_pieces_goes_through_every_stage(tmp_path):
    """10,000 words, two parse pieces: extracted, resolved, validated and loaded whole, every span in place."""
    frames, stored = _extract_as_a_worker_does(10_000)
    assert len(stored) > CHUNK_CHARS
    checked = assert_spans_in_body(frames, stored)
    assert checked["entity_mentions"] > 1_000 and checked["quotes"] > 50
    starts = frames["entity_mentions"]["start_char"].to_list()
    assert {start // CHUNK_CHARS for start in starts} == set(range(len(stored) // CHUNK_CHARS + 1))
    _resolve_validate_and_load(frames, stored, tmp_path, min_mentions=1_000)


@pytest.mark.heavy
def test_a_200000_word_article_is_extracted_with_every_span_in_place(tmp_path):
    """Over spaCy's `max_length`, at full size (about 100 s, 70 s of it spaCy's parse; 0.66 GB peak): `make
    test-heavy`. The same path at a smaller size runs in `make test` (above)."""
    frames, stored = _extract_as_a_worker_does(200_000)
    assert len(stored) > 1_000_000  # over spaCy's max_length
    checked = assert_spans_in_body(frames, stored)
    assert checked["entity_mentions"] > 20_000 and checked["quotes"] > 1_000
    assert checked["temporal_expressions"] > 5_000 and checked["event_mentions"] > 5_000
    # names are found all through the body, in every piece it was parsed in
    starts = frames["entity_mentions"]["start_char"].to_list()
    assert {start // CHUNK_CHARS for start in starts} == set(range(len(stored) // CHUNK_CHARS + 1))
    _resolve_validate_and_load(frames, stored, tmp_path, min_mentions=20_000)


def _resolve_validate_and_load(frames, body: str, folder, min_mentions: int) -> None:
    import duckdb

    from flows.stages import resolve_batch
    from expectations.validate import validate_frames
    from tests.helpers.cli import copy_expectations
    from contract.window import DateWindow
    from warehouse.loader import LoadPlan, load

    window = DateWindow(datetime(2026, 1, 1).date())
    derived, unresolved = resolve_batch(frames, window)
    assert unresolved == []
    outcome = validate_frames(derived, copy_expectations(folder / "expectations"), "run", window, build_docs=False)
    assert outcome.bad_articles == [] and outcome.frames["articles"].height == 1
    db = folder / "news.duckdb"
    load(db, LoadPlan(outcome.frames, replace_article_ids=outcome.frames["articles"]["article_id"].to_list()))
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT body FROM articles").fetchone()[0] == body
    stored_mentions = con.execute("SELECT count(*) FROM entity_mentions").fetchone()[0]
    assert stored_mentions == outcome.frames["entity_mentions"].height > min_mentions

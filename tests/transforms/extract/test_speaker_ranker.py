"""The learned speaker ranker: candidates and their features on invented text, and the committed model."""

import json

import numpy as np
import pytest

from tests.helpers.parsing import parse_body
from transforms.extract.quotes import quotes_with_candidates
from transforms.extract.mentions import Mention
from transforms.extract.speaker_ranker import (FEATURES, MODEL_PATH, ArticleNames, Candidate, Layout, Ranker,
                                              _entity_candidates, load_ranker)


def _candidates(nlp, text: str):
    doc, mentions, _ = parse_body(nlp, text)
    return quotes_with_candidates(doc, mentions, None)


def test_candidates_are_the_people_near_the_quote_with_the_rules_pick_marked(nlp):
    text = ("Mayor Ines Duarte opened the bridge. Her rival Paul Brandt watched.\n"
            "“It was built on time,” Duarte said.")
    [(quote, candidates)] = _candidates(nlp, text)
    by_name = {c.name: c.features for c in candidates}
    assert set(by_name) == {"Ines Duarte", "Paul Brandt"}
    assert by_name["Ines Duarte"]["cascade_pick"] == 1.0 and by_name["Ines Duarte"]["method_explicit"] == 1.0
    assert by_name["Ines Duarte"]["same_sentence"] == 1.0 and by_name["Paul Brandt"]["same_sentence"] == 0.0
    assert by_name["Ines Duarte"]["speech_subject"] == 1.0 and by_name["Paul Brandt"]["speech_subject"] == 0.0
    assert by_name["Ines Duarte"]["log_distance"] < by_name["Paul Brandt"]["log_distance"]


def _ranker(weights: np.ndarray, bias: float = 0.0, uncued_bias: float = 0.0, partial_threshold: float = 0.7
            ) -> Ranker:
    return Ranker(weights, bias, weights, uncued_bias, 0.3, partial_threshold)


def test_the_ranker_overrides_the_rules_when_its_weights_say_so(nlp):
    from transforms.extract.quotes import _ranked  # noqa: PLC0415 - the decision alone

    text = "Mayor Ines Duarte opened the bridge. Her rival Paul Brandt watched.\n“It was built on time,” Duarte said."
    [(quote, candidates)] = _candidates(nlp, text)
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("log_distance")] = 50.0  # an absurd model: the farthest name wins
    chosen = _ranked(quote, candidates, _ranker(weights))
    assert chosen.speaker_name == "Paul Brandt" and chosen.method == "explicit"
    assert _ranked(quote, candidates, load_ranker()) == quote  # the committed model agrees with the rules here


def test_an_unattributed_fragment_takes_a_speaker_only_above_its_own_threshold():
    from transforms.extract.quotes import Quote, _ranked  # noqa: PLC0415 - the decision alone

    quote = Quote(0, 9, "terrorism", True, None, None, None, "none", 0.0, "scare_quote")
    candidate = Candidate("Ana Lind", 3, [(20, 28)], {"quote_partial": 1.0, "same_sentence": 1.0})
    weights = np.ones(len(FEATURES))
    assert _ranked(quote, [candidate], _ranker(weights, 5.0, -3.0)).speaker_name is None  # sigmoid(-1) < 0.7
    assert _ranked(quote, [candidate], _ranker(weights, -5.0, 3.0)).speaker_name == "Ana Lind"  # the uncued model


def test_the_subject_of_the_quotes_clause_is_marked_and_a_described_group_becomes_a_candidate(nlp):
    text = ("The council met on Tuesday. Angry residents of the valley marched against the “robbery of our land” "
            "while Mayor Ines Duarte listened.")
    [(quote, candidates)] = _candidates(nlp, text)
    by_name = {c.name: c.features for c in candidates}
    assert by_name["Angry residents of the valley"]["governs_quote"] == 1.0 and by_name["Angry residents of the valley"]["is_description"] == 1.0
    assert by_name["Ines Duarte"].get("governs_quote", 0.0) == 0.0


def test_the_subject_of_the_sentence_leading_into_a_quote_is_marked(nlp):
    text = ("Her former partner, Paul Brandt, called her a master of deals. “She saw what others missed.”\n"
            "Mayor Ines Duarte agreed.")
    quote, candidates = _candidates(nlp, text)[0]
    by_name = {c.name: c.features for c in candidates}
    assert by_name["Paul Brandt"]["lead_subject"] == 1.0


def test_the_committed_model_matches_the_features_and_stays_small():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES and len(data["weights"]) == len(FEATURES)
    assert MODEL_PATH.stat().st_size < 200_000
    assert load_ranker() is not None


def test_a_model_for_other_features_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"features": ["distance"], "weights": [1.0], "bias": 0.0, "threshold": 0.5}))
    with pytest.raises(ValueError, match="retrain"):
        load_ranker(path)


def test_the_object_of_the_quotes_clause_is_marked_as_such(nlp):
    text = "Senator Ines Duarte has been attacking Paul Brandt as a “reckless gambler” for weeks."
    [(quote, candidates)] = _candidates(nlp, text)
    by_name = {c.name: c.features for c in candidates}
    assert by_name["Paul Brandt"]["clause_object"] == 1.0 and by_name["Paul Brandt"].get("governs_quote", 0.0) == 0.0
    assert by_name["Ines Duarte"]["governs_quote"] == 1.0


def test_a_relative_pronoun_is_not_the_subject_of_the_quotes_clause(nlp):
    text = "Paul Brandt, a coach, compared the mayor to a driver who is “steering with his eyes closed” downhill."
    [(quote, candidates)] = _candidates(nlp, text)
    by_name = {c.name: c.features for c in candidates}
    assert by_name["Paul Brandt"]["governs_quote"] == 1.0


def test_a_clause_never_reaches_into_another_paragraph(nlp):
    text = "“The rent doubled in a year.” ― Maria Okafor\n“Nobody listens to us.” ― Tomas Berg"
    second, candidates = _candidates(nlp, text)[1]
    assert not any(c.features.get("governs_quote") for c in candidates if c.name == "Maria Okafor")


def test_the_object_of_a_verb_like_led_is_the_subject_of_the_clause_it_controls(nlp):
    text = "The vote has led the economist Ines Duarte to predict a “lost decade” for the region."
    [(quote, candidates)] = _candidates(nlp, text)
    by_name = {c.name: c.features for c in candidates}
    assert by_name["Ines Duarte"]["governs_quote"] == 1.0


def test_the_names_near_a_quote_come_from_the_article_index_with_every_place_they_are_named():
    text = "Ana Lind spoke.\nBo Ek left.\nCy Moe came.\nDee Roy sat.\nLind said “Bo Ek is wrong”."
    paragraphs = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    layout = Layout(text, paragraphs, paragraphs)

    def named(surface: str, key: int, label: str = "PERSON", kind: str = "name", at: int = 0) -> Mention:
        start = text.index(surface, at)
        return Mention("body", start, start + len(surface), surface, label, kind, key)

    quote_at = text.index("“")
    mentions = [named("Ana Lind", 1), named("Bo Ek", 2), named("Cy Moe", 3), named("Dee Roy", 4, kind="byline"),
                named("Lind", 1, at=quote_at - 10), named("Bo Ek", 2, at=quote_at)]
    names = ArticleNames.of(mentions, layout)
    candidates = _entity_candidates(names, layout, quote_at, len(text))
    # Lind: named in the quote's paragraph; Bo Ek only three paragraphs back and inside the quote; Cy Moe two
    # paragraphs back; Dee Roy a byline
    assert {c.name: len(c.spans) for c in candidates.values()} == {"Ana Lind": 2, "Cy Moe": 1}

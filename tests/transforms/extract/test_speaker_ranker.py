"""The learned speaker ranker: candidates and their features on invented text, and the committed model."""

import json

import numpy as np
import pytest

from tests.helpers.parsing import parse_body
from transforms.extract.quotes import quotes_with_candidates
from transforms.extract.speaker_ranker import FEATURES, MODEL_PATH, Candidate, Ranker, load_ranker


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


def test_the_ranker_overrides_the_rules_when_its_weights_say_so(nlp):
    from transforms.extract.quotes import _ranked  # noqa: PLC0415 - the decision alone

    text = "Mayor Ines Duarte opened the bridge. Her rival Paul Brandt watched.\n“It was built on time,” Duarte said."
    [(quote, candidates)] = _candidates(nlp, text)
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("log_distance")] = 50.0  # an absurd model: the farthest name wins
    chosen = _ranked(quote, candidates, Ranker(weights, 0.0, 0.5))
    assert chosen.speaker_name == "Paul Brandt" and chosen.method == "explicit"
    assert _ranked(quote, candidates, load_ranker()) == quote  # the committed model agrees with the rules here


def test_an_unattributed_fragment_stays_unattributed():
    quote_features = {"quote_partial": 1.0, "same_sentence": 1.0}
    from transforms.extract.quotes import Quote, _ranked  # noqa: PLC0415 - the decision alone

    quote = Quote(0, 9, "terrorism", True, None, None, None, "none", 0.0, "scare_quote")
    candidate = Candidate("Ana Lind", 3, [(20, 28)], quote_features)
    assert _ranked(quote, [candidate], Ranker(np.ones(len(FEATURES)), 5.0, 0.3)).speaker_name is None


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

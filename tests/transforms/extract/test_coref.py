"""Pronoun resolution for people: salience and gender evidence from the text (invented sentences)."""

import pytest

from tests.helpers.parsing import parse_body
from transforms.extract.coref import PronounResolver, infer_genders


@pytest.fixture()
def parsed(nlp):
    def run(text: str):
        doc, mentions, _ = parse_body(nlp, text)
        names = {m.local_key: m.surface for m in mentions}
        return doc, mentions, names
    return run


def _resolve(parsed, text: str, pronoun: str, speakers=()):
    doc, mentions, names = parsed(text)
    key = PronounResolver(doc, mentions).resolve(text.rindex(pronoun), speakers)
    return names.get(key)


def test_gender_from_honorific_and_role_word(parsed):
    doc, mentions, names = parsed("Mrs. Dana Whit met Tom Berg, a spokesman for the port, on Monday.")
    genders = {names[k]: g for k, g in infer_genders(doc, mentions).items()}
    assert genders == {"Dana Whit": "f", "Tom Berg": "m"}


def test_she_skips_the_nearer_man_known_as_a_man(parsed):
    text = ("Dana Whit, a spokeswoman for the council, called the meeting. Mr. Tom Berg arrived late "
            "and left early. She said the vote would go ahead.")
    assert _resolve(parsed, text, "She") == "Dana Whit"


def test_subject_beats_object_in_the_same_sentence(parsed):
    text = "Tom Berg thanked Karl Ode for the loan on Monday. He said the bank had been generous."
    assert _resolve(parsed, text, "He") == "Tom Berg"


def test_recent_speaker_is_the_likely_referent(parsed):
    text = ("Karl Ode spoke after Tom Berg at the hearing on Monday. The hearing lasted two hours. "
            "He said the plan was too costly.")
    assert _resolve(parsed, text, "He", speakers=()) == "Karl Ode"
    doc, mentions, names = parsed(text)
    berg = next(k for k, n in names.items() if n == "Tom Berg")
    assert _resolve(parsed, text, "He", speakers=(berg,)) == "Tom Berg"


def test_no_person_before_the_pronoun(parsed):
    assert _resolve(parsed, "He said the port would close. Tom Berg agreed.", "He") is None

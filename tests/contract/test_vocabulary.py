"""The closed vocabularies: each is the accepted set of the columns that take it, and says what the stages can
produce."""

import contract
from contract import vocabulary

VOCABULARIES = {name: value for name, value in vars(vocabulary).items() if name.isupper()}


def _columns_accepting(values: tuple[str, ...]) -> list[str]:
    return [f"{t.name}.{c.name}" for t in contract.TABLES for c in t.columns if c.allowed == values]


def test_every_vocabulary_is_a_set_of_distinct_values_some_column_accepts():
    assert len(VOCABULARIES) >= 9
    for name, values in VOCABULARIES.items():
        assert len(set(values)) == len(values), name
        assert _columns_accepting(values), f"{name} is the accepted set of no column"


def test_a_text_field_is_an_article_text_an_offset_can_point_into():
    articles = {c.name: c.sql_type for c in contract.ARTICLES.columns}
    assert all(articles.get(field) == "VARCHAR" for field in vocabulary.TEXT_FIELDS)
    assert "body" in vocabulary.TEXT_FIELDS


def test_an_event_keeps_only_modalities_a_mention_can_have():
    assert set(vocabulary.EVENT_MODALITIES) <= set(vocabulary.MODALITIES)
    assert "other" in vocabulary.EVENT_TYPES  # what an event of no known type is


def test_entity_types_are_labels_the_spacy_model_gives(nlp):
    assert set(vocabulary.ENTITY_TYPES) <= set(nlp.get_pipe("ner").labels)

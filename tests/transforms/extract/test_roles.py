"""Roles stated for people, and role descriptions standing for them (invented sentences)."""

from tests.helpers.parsing import parse_body
from transforms.extract.roles import find_roles, normalize_role, role_only_mentions


def _parse(nlp, text):
    doc, mentions, entities = parse_body(nlp, text, link_aliases=True)
    return doc, mentions, {e.local_key: e.name for e in entities}


def test_title_before_the_name_with_its_country(nlp):
    doc, mentions, names = _parse(nlp, "Norway's Defence Minister Ola Berg arrived in Oslo on Monday.")
    [fact] = find_roles(doc, mentions)
    assert names[fact.local_key] == "Ola Berg"
    assert (fact.role, fact.role_text, fact.country) == ("defense minister", "Norway's Defence Minister", "NOR")


def test_roles_in_an_apposition_split_at_and(nlp):
    text = "The delegation is led by Ola Berg, Norway's spy chief and national security adviser."
    doc, mentions, names = _parse(nlp, text)
    roles = {f.role for f in find_roles(doc, mentions) if names[f.local_key] == "Ola Berg"}
    assert {"spy chief", "national security adviser"} <= roles


def test_role_only_mention_resolves_to_the_holder_in_the_same_article(nlp):
    text = ("Defence Minister Ola Berg opened the talks. Later, Norway's defense minister told reporters "
            "that the minister would return on Friday.")
    doc, mentions, names = _parse(nlp, text)
    facts = find_roles(doc, mentions)
    found = role_only_mentions(text, mentions, facts)
    assert [names[r.mention.local_key] for r in found] == ["Ola Berg", "Ola Berg"]
    assert found[0].mention.surface == "Norway's defense minister" and found[0].mention.kind == "role"


def test_unresolved_role_mentions_of_one_person_share_a_group(nlp):
    text = "Norway's defense minister told reporters the talks would go on. The minister left at noon."
    doc, mentions, _ = _parse(nlp, text)
    found = role_only_mentions(text, mentions, find_roles(doc, mentions))
    assert [r.mention.local_key for r in found] == [-1, -1]
    assert found[0].group == found[1].group and found[1].role == "defense minister"


def test_normalize_role_folds_spelling_and_honorifics():
    assert normalize_role("Defence Minister") == "defense minister"
    assert normalize_role("Mr. Chief Adviser") == "chief adviser"

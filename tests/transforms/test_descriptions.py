"""Definite descriptions standing for a named organisation, and bylined reporters as authors."""

from datetime import datetime

from transforms.article import CleanedArticle, Metadata
from transforms.extract.document import analyze_batch
from transforms.extract.mentions import LocalEntity, Mention, described_organisations


def _org(key, name, start):
    return Mention("body", start, start + len(name), name, "ORG", "name", key), LocalEntity(key, "ORG", name, [name])


def test_the_ministry_is_the_one_ministry_named_before():
    text = "The Ministry of Fisheries in Valdoria denied the report. The ministry said quotas were unchanged."
    mention, entity = _org(0, "Ministry of Fisheries", 4)
    found = described_organisations(text, [mention], [entity])
    assert [(m.surface, m.local_key, m.kind) for m in found] == [("The ministry", 0, "description")]


def test_the_airline_needs_one_airline_named_before_it():
    text = ("The airline will add routes, Nordair Airlines and Coastal Airways said. "
            "Later the airline cut fares.")
    first, e1 = _org(0, "Nordair Airlines", text.index("Nordair"))
    second, e2 = _org(1, "Coastal Airways", text.index("Coastal"))
    assert described_organisations(text, [first, second], [e1, e2]) == []  # two airlines: unresolved
    alone = text.replace("and Coastal Airways ", "")
    first.start, first.end = alone.index("Nordair"), alone.index("Nordair") + len("Nordair Airlines")
    found = described_organisations(alone, [first], [e1])
    assert [m.surface for m in found] == ["the airline"]  # not the first one, before any airline was named


def test_the_company_is_not_an_organisation_of_another_kind():
    text = "Officials of the Harbour Council met Brenner Holdings. The council agreed; the company did not."
    council, e1 = _org(0, "Harbour Council", text.index("Harbour"))
    company, e2 = _org(1, "Brenner Holdings", text.index("Brenner"))
    found = {m.surface: m.local_key for m in described_organisations(text, [council, company], [e1, e2])}
    assert found == {"The council": 0, "the company": 1}


def test_bylined_reporter_is_marked_author(nlp):
    body = "Tomas Kevorkian, the mayor of Elmira, opened the new bridge on Monday."
    meta = Metadata()
    meta.byline_text, meta.authors = "By Rhea Castellan", ["Rhea Castellan"]
    article = CleanedArticle("a1", "a1.txt", "sha", 1, "text", "utf-8", body, body, meta, ())
    frames = analyze_batch([article], nlp, "run", datetime(2024, 1, 1))
    roles = dict(zip(frames["article_entities"]["name"], frames["article_entities"]["role"]))
    assert roles["Rhea Castellan"] == "author"
    assert roles["Tomas Kevorkian"] is None


def test_sentence_case_headline_keeps_new_names_but_not_body_names_glued_to_more_words(nlp):
    body = "Mayor Tomas Kevorkian opened the bridge. Kevorkian said it cost less than planned."
    meta = Metadata()
    meta.title = "Valdoria mayor opens new bridge over the river"
    article = CleanedArticle("a1", "a1.txt", "sha", 1, "text", "utf-8", body, body, meta, ())
    frames = analyze_batch([article], nlp, "run", datetime(2024, 1, 1))
    title = frames["entity_mentions"].filter(frames["entity_mentions"]["text_field"] == "title")
    assert "Valdoria" in title["surface"].to_list()
    from transforms.extract.document import _sentence_case
    assert _sentence_case(meta.title)

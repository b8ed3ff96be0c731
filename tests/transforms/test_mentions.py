from transforms.mentions import Mention, cluster_mentions, doc_mentions, name_key


def test_name_key_ignores_case_article_and_possessive():
    assert name_key("The United Nations") == name_key("United Nations") == "united nations"
    assert name_key("Ruritania’s") == "ruritania"


def test_titles_are_not_part_of_names(nlp):
    text = "Field Marshal Karl Brandt met Gen. Omar Haddad in Vienna."
    surfaces = {m.surface for m in doc_mentions(nlp(text), "body") if m.label == "PERSON"}
    assert {"Karl Brandt", "Omar Haddad"} <= surfaces
    assert not any(s.startswith(("Field", "Gen")) for s in surfaces)


def test_offsets_point_at_surface(nlp):
    text = "The talks in Geneva were chaired by the United Nations and attended by Paolo Ricci."
    for mention in doc_mentions(nlp(text), "body"):
        assert text[mention.start:mention.end] == mention.surface
        assert not mention.surface.lower().startswith("the ")


def test_surname_and_acronym_join_their_full_names():
    mentions = [
        Mention("body", 0, 11, "Paolo Ricci", "PERSON"),
        Mention("body", 50, 55, "Ricci", "PERSON"),
        Mention("body", 60, 88, "Ruritanian Liberation Front", "ORG"),
        Mention("body", 90, 93, "RLF", "ORG", "acronym"),
    ]
    entities = cluster_mentions(mentions)
    assert len(entities) == 2
    assert mentions[0].local_key == mentions[1].local_key
    assert mentions[2].local_key == mentions[3].local_key
    assert any(e.acronyms == ["RLF"] for e in entities)


def test_ambiguous_surname_stays_separate():
    mentions = [Mention("body", 0, 9, "Ana Lind", "PERSON"), Mention("body", 20, 30, "Karl Lind", "PERSON"),
                Mention("body", 40, 44, "Lind", "PERSON")]
    cluster_mentions(mentions)
    assert mentions[2].local_key not in {mentions[0].local_key, mentions[1].local_key}


def test_country_institutions_are_organisations(nlp):
    text = "The Norwegian military said on Monday that Norway's Foreign Ministry had not been told."
    orgs = {m.surface for m in doc_mentions(nlp(text), "body") if m.label == "ORG"}
    assert {"Norwegian military", "Norway's Foreign Ministry"} <= orgs


def test_military_as_a_modifier_is_not_an_organisation(nlp):
    text = "Norwegian military officials met their Swedish counterparts in Oslo."
    assert "Norwegian military" not in {m.surface for m in doc_mentions(nlp(text), "body")}


def test_particle_compound_names_stay_whole(nlp):
    text = "Officials blamed Jamaat-ul-Ahrar for the attack on the checkpoint near the border."
    surfaces = {m.surface for m in doc_mentions(nlp(text), "body")}
    assert "Jamaat-ul-Ahrar" in surfaces and "Jamaat" not in surfaces


def test_place_in_an_apposition_is_not_a_person(nlp):
    text = "Troops were sent to Kurrabad, a town near the northern border, on Friday."
    labels = {m.surface: m.label for m in doc_mentions(nlp(text), "body")}
    assert labels.get("Kurrabad") in {"GPE", None} and "PERSON" not in labels.values()


def test_declared_alias_joins_two_names():
    text = "attacks by the Northern Front, or Jabhat al-Shamal, rose."
    first = Mention("body", text.index("Northern"), text.index("Northern") + 14, "Northern Front", "ORG")
    second = Mention("body", text.index("Jabhat"), text.index("Jabhat") + 15, "Jabhat al-Shamal", "ORG")
    entities = cluster_mentions([first, second], {"body": text})
    assert len(entities) == 1 and first.local_key == second.local_key

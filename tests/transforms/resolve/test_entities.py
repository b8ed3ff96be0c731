import polars as pl

from transforms.resolve.entities import initials, resolve_entities


def _frames(rows):
    entities = pl.DataFrame(rows, schema={"article_id": pl.String, "local_key": pl.Int32, "entity_type": pl.String,
                                          "surfaces": pl.List(pl.String), "acronyms": pl.List(pl.String)})
    mentions = entities.explode("surfaces").rename({"surfaces": "surface"}).select("article_id", "local_key", "surface")
    return entities, mentions


def test_country_variants_people_and_acronyms_merge_across_articles():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "GPE", "surfaces": ["Türkiye"], "acronyms": []},
        {"article_id": "b", "local_key": 0, "entity_type": "GPE", "surfaces": ["Turkey"], "acronyms": []},
        {"article_id": "a", "local_key": 1, "entity_type": "PERSON", "surfaces": ["Paolo Ricci"], "acronyms": []},
        {"article_id": "b", "local_key": 1, "entity_type": "PERSON", "surfaces": ["Paolo Maria Ricci", "Ricci"],
         "acronyms": []},
        {"article_id": "a", "local_key": 2, "entity_type": "ORG", "surfaces": ["RLF"], "acronyms": []},
        {"article_id": "b", "local_key": 2, "entity_type": "ORG", "surfaces": ["Ruritanian Liberation Front"],
         "acronyms": []},
        {"article_id": "a", "local_key": 3, "entity_type": "PERSON", "surfaces": ["Ana Lind"], "acronyms": []},
    ])
    assignments, resolved, aliases = resolve_entities(entities, mentions)
    names = dict(zip(resolved["canonical_name"], resolved["entity_id"]))
    assert set(names) == {"Turkey", "Paolo Maria Ricci", "Ruritanian Liberation Front", "Ana Lind"}
    assert assignments.height == 7
    assert set(aliases.filter(pl.col("entity_id") == names["Turkey"])["alias"]) == {"Türkiye", "Turkey"}
    acronym = aliases.filter(pl.col("alias") == "RLF")
    assert acronym["alias_kind"].to_list() == ["acronym"] and acronym["entity_id"][0] == names["Ruritanian Liberation Front"]


def test_ids_are_stable_and_counts_right():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "GPE", "surfaces": ["Qatar"], "acronyms": []},
        {"article_id": "b", "local_key": 5, "entity_type": "GPE", "surfaces": ["Qatar"], "acronyms": []},
    ])
    _, first, _ = resolve_entities(entities, mentions)
    _, second, _ = resolve_entities(entities.reverse(), mentions)
    assert first["entity_id"].to_list() == second["entity_id"].to_list()
    assert first.select("mention_count", "article_count").row(0) == (2, 2)


def test_initials_of_a_hyphenated_name():
    assert initials("Tehrik-e-Taliban Pakistan") == "TTP"


def test_institutions_bare_heads_and_role_only_people_resolve_across_articles():
    rows = [
        {"article_id": "a", "local_key": 0, "entity_type": "ORG", "surfaces": ["Norway's Ministry of Foreign Affairs"],
         "acronyms": [], "role": None, "role_country": None},
        {"article_id": "b", "local_key": 0, "entity_type": "ORG", "surfaces": ["Norwegian Foreign Ministry"],
         "acronyms": [], "role": None, "role_country": None},
        {"article_id": "a", "local_key": 1, "entity_type": "ORG", "surfaces": ["Kenyan Sentinels"], "acronyms": [],
         "role": None, "role_country": None},
        {"article_id": "b", "local_key": 1, "entity_type": "ORG", "surfaces": ["Sentinels"], "acronyms": [],
         "role": None, "role_country": None},
        {"article_id": "a", "local_key": 2, "entity_type": "PERSON", "surfaces": ["Ola Berg"], "acronyms": [],
         "role": None, "role_country": None},
        {"article_id": "b", "local_key": 2, "entity_type": "PERSON", "surfaces": [], "acronyms": [],
         "role": "defense minister", "role_country": "NOR"},
        {"article_id": "b", "local_key": 3, "entity_type": "PERSON", "surfaces": [], "acronyms": [],
         "role": "finance minister", "role_country": "NOR"},
    ]
    entities = pl.DataFrame(rows, schema={"article_id": pl.String, "local_key": pl.Int32, "entity_type": pl.String,
                                          "surfaces": pl.List(pl.String), "acronyms": pl.List(pl.String),
                                          "role": pl.String, "role_country": pl.String})
    mentions = pl.DataFrame({"article_id": ["a", "b", "a", "b", "a", "b", "b"], "local_key": [0, 0, 1, 1, 2, 2, 3],
                             "surface": ["Norway's Ministry of Foreign Affairs", "Norwegian Foreign Ministry",
                                         "Kenyan Sentinels", "Sentinels", "Ola Berg", "Norway's defence minister",
                                         "Norway's finance minister"],
                             "mention_kind": ["name"] * 5 + ["role", "role"]},
                            schema_overrides={"local_key": pl.Int32})
    roles = pl.DataFrame({"article_id": ["a"], "local_key": [2], "role": ["defense minister"], "role_country": [None]},
                         schema_overrides={"local_key": pl.Int32, "role_country": pl.String})
    assignments, resolved, aliases = resolve_entities(entities, mentions, roles)
    by_key = {(a, k): e for a, k, e in assignments.iter_rows()}
    names = dict(zip(resolved["entity_id"], resolved["canonical_name"]))
    assert by_key[("a", 0)] == by_key[("b", 0)] and names[by_key[("a", 0)]] == "Norway's Ministry of Foreign Affairs"
    assert by_key[("a", 1)] == by_key[("b", 1)] and names[by_key[("a", 1)]] == "Kenyan Sentinels"
    assert by_key[("b", 2)] == by_key[("a", 2)] and names[by_key[("a", 2)]] == "Ola Berg"
    assert ("b", 3) not in by_key  # nobody named holds that role: not an entity
    assert aliases.filter(pl.col("alias_kind") == "role")["alias"].to_list() == ["Norway's defence minister"]
    # In two stories, the role of one is not the person the other names: the role-only person is nobody.
    assignments, _, _ = resolve_entities(entities, mentions, roles, story_of={"a": "s1", "b": "s2"})
    assert ("b", 2) not in {(a, k) for a, k, _ in assignments.iter_rows()}


def test_people_sharing_a_surname_stay_apart_and_a_bare_surname_joins_only_an_unambiguous_one():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Jennifer Holm", "Holm"],
         "acronyms": []},
        {"article_id": "b", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Peter G. Holm", "Holm"],
         "acronyms": []},
        {"article_id": "c", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Holm"], "acronyms": []},
        {"article_id": "a", "local_key": 1, "entity_type": "PERSON", "surfaces": ["Karl Ode"], "acronyms": []},
        {"article_id": "c", "local_key": 1, "entity_type": "PERSON", "surfaces": ["Ode"], "acronyms": []},
    ])
    assignments, resolved, _ = resolve_entities(entities, mentions)
    names = set(resolved["canonical_name"])
    assert {"Jennifer Holm", "Peter G. Holm", "Holm", "Karl Ode"} == names  # "Holm" alone: two candidates
    ode = assignments.filter(pl.col("local_key") == 1)["entity_id"]
    assert ode.n_unique() == 1


def test_canonical_person_name_leaves_out_a_middle_initial():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Paul D. Rhee"], "acronyms": []},
        {"article_id": "b", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Paul Rhee", "Rhee"], "acronyms": []},
        {"article_id": "b", "local_key": 1, "entity_type": "PERSON", "surfaces": ["Khawar Ali Shah"], "acronyms": []},
        {"article_id": "c", "local_key": 1, "entity_type": "PERSON", "surfaces": ["Khawar Shah"], "acronyms": []},
    ])
    _, resolved, _ = resolve_entities(entities, mentions)
    assert set(resolved["canonical_name"]) == {"Paul Rhee", "Khawar Ali Shah"}
def test_demonym_plurals_merge_across_articles_under_the_singular():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "NORP", "surfaces": ["Afghans"], "acronyms": []},
        {"article_id": "b", "local_key": 0, "entity_type": "NORP", "surfaces": ["Afghan"], "acronyms": []},
        {"article_id": "c", "local_key": 0, "entity_type": "NORP", "surfaces": ["Americans"], "acronyms": []},
    ])
    _, resolved, _ = resolve_entities(entities, mentions)
    assert sorted(resolved["canonical_name"]) == ["Afghan", "American"]


def test_dateline_city_in_capitals_is_not_an_acronym():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "GPE", "surfaces": ["VALDORIA"], "acronyms": []},
        {"article_id": "b", "local_key": 0, "entity_type": "GPE", "surfaces": ["Valdoria"], "acronyms": []},
        {"article_id": "b", "local_key": 1, "entity_type": "ORG", "surfaces": ["RLF"], "acronyms": []},
    ])
    _, resolved, aliases = resolve_entities(entities, mentions)
    assert sorted(resolved["canonical_name"]) == ["RLF", "Valdoria"]
    kinds = dict(zip(aliases["alias"], aliases["alias_kind"]))
    assert kinds["VALDORIA"] != "acronym" and kinds["RLF"] == "acronym"


def test_full_name_is_canonical_over_a_more_frequent_short_form():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "ORG",
         "surfaces": ["Portland Herons of Maine", "Herons", "Herons", "Herons"], "acronyms": []},
    ])
    _, resolved, _ = resolve_entities(entities, mentions)
    assert resolved["canonical_name"].to_list() == ["Portland Herons of Maine"]


def test_name_in_capitals_is_canonical_over_its_last_word():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "ORG", "surfaces": ["NORDVIK SAVINGS BANK", "Bank", "Bank"],
         "acronyms": []},
    ])
    _, resolved, _ = resolve_entities(entities, mentions)
    assert resolved["canonical_name"].to_list() == ["Nordvik Savings Bank"]


def test_a_first_name_used_alone_does_not_pull_other_articles_into_the_person():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Dora Fenwick", "Dora"], "acronyms": []},
        {"article_id": "b", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Dora"], "acronyms": []},
        {"article_id": "c", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Fenwick"], "acronyms": []},
        {"article_id": "d", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Dora Fenwick", "Fenwick"], "acronyms": []},
    ])
    assignments, resolved, _ = resolve_entities(entities, mentions)
    by_article = dict(zip(assignments["article_id"], assignments["entity_id"]))
    assert by_article["a"] == by_article["d"] == by_article["c"] != by_article["b"]


def test_a_word_glued_in_front_of_a_common_full_name_is_not_part_of_the_canonical_name():
    entities, mentions = _frames([
        {"article_id": "a", "local_key": 0, "entity_type": "PERSON",
         "surfaces": ["Sly Ines Duarte", "Ines Duarte", "Duarte"], "acronyms": []},
        {"article_id": "b", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Ines Duarte"] * 6, "acronyms": []},
        {"article_id": "c", "local_key": 0, "entity_type": "PERSON", "surfaces": ["Mary Lou Brandt", "Lou Brandt"],
         "acronyms": []},
    ])
    _, resolved, _ = resolve_entities(entities, mentions)
    assert set(resolved["canonical_name"]) == {"Ines Duarte", "Mary Lou Brandt"}


def test_an_acronym_alone_joins_the_organisation_it_spells_only_within_its_story():
    entities, mentions = _frames([
        {"article_id": "cars", "local_key": 0, "entity_type": "ORG", "surfaces": ["MEB"], "acronyms": []},
        {"article_id": "bank1", "local_key": 0, "entity_type": "ORG", "surfaces": ["Marfin Egnatia Bank"], "acronyms": []},
        {"article_id": "bank2", "local_key": 0, "entity_type": "ORG", "surfaces": ["MEB"], "acronyms": []},
    ])
    stories = {"cars": "s-cars", "bank1": "s-bank", "bank2": "s-bank"}
    assignments, resolved, _ = resolve_entities(entities, mentions, story_of=stories)
    of = {a: e for a, e in zip(assignments["article_id"], assignments["entity_id"])}
    assert of["bank2"] == of["bank1"] != of["cars"]
    # without stories (one corpus-wide scope), as before: the one organisation that spells it
    assignments, _, _ = resolve_entities(entities.filter(pl.col("article_id") != "bank2"), mentions)
    assert assignments["entity_id"].n_unique() == 1


def test_a_generic_word_standing_alone_links_no_articles():
    entities, mentions = _frames([
        {"article_id": "oregon", "local_key": 0, "entity_type": "ORG", "surfaces": ["Bank", "Cascade Valley Bank"],
         "acronyms": []},
        {"article_id": "athens", "local_key": 0, "entity_type": "ORG", "surfaces": ["Bank", "Hellenic Coast Bank"],
         "acronyms": []},
        {"article_id": "later", "local_key": 0, "entity_type": "ORG", "surfaces": ["Cascade Valley Bank"], "acronyms": []},
    ])
    assignments, resolved, _ = resolve_entities(entities, mentions)
    assert set(resolved["canonical_name"]) == {"Cascade Valley Bank", "Hellenic Coast Bank"}
    of = {a: e for a, e in zip(assignments["article_id"], assignments["entity_id"])}
    assert of["oregon"] == of["later"] != of["athens"]


def test_an_acronym_no_name_spells_out_is_one_entity_per_story():
    entities, mentions = _frames([
        {"article_id": "a1", "local_key": 0, "entity_type": "ORG", "surfaces": ["KPX"], "acronyms": []},
        {"article_id": "a2", "local_key": 3, "entity_type": "ORG", "surfaces": ["KPX"], "acronyms": []},
        {"article_id": "b1", "local_key": 0, "entity_type": "ORG", "surfaces": ["KPX"], "acronyms": []},
    ])
    assignments, resolved, _ = resolve_entities(entities, mentions, story_of={"a1": "sa", "a2": "sa", "b1": "sb"})
    of = {a: e for a, e in zip(assignments["article_id"], assignments["entity_id"])}
    assert of["a1"] == of["a2"] != of["b1"]
    assert resolved["canonical_name"].to_list() == ["KPX", "KPX"]

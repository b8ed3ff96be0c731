"""Country names and demonyms: every common spelling of a country is one canonical name, and a word that names
no country is none."""

from transforms.gazetteer import canonical_country, country_code, country_name, demonym_country, demonym_key


def test_every_spelling_of_a_country_is_one_name():
    assert canonical_country("Türkiye") == "Turkey"
    assert canonical_country("the United States") == "United States"
    assert canonical_country("Lowtown") is None
    assert {canonical_country(name) for name in ("U.S.", "USA", "America", "United States of America")} == \
        {"United States"}
    assert canonical_country("  the   Netherlands ") == canonical_country("Holland") == "Netherlands"
    assert canonical_country("Korea, Republic of") == "South Korea"  # ISO's comma form


def test_a_name_shared_by_two_countries_is_none():
    assert country_code("Korea") is None
    assert {country_code("South Korea"), country_code("North Korea")} == {"KOR", "PRK"}


def test_news_names_win_over_iso_names_and_an_unknown_code_stays_as_it_is():
    assert country_name("RUS") == "Russia"  # ISO: "Russian Federation"
    assert country_name("DEU") == "Germany"
    assert country_name("XXX") == "XXX"


def test_a_demonym_and_its_plural_share_one_key():
    assert demonym_key("Afghans") == demonym_key("Afghan") == demonym_key("afghan’") == "afghan"
    assert demonym_key("Swiss") == "swiss"  # ends in s, and is the singular
    assert demonym_key("tables") is None
    assert demonym_country("Turkish") == "Turkey"
    assert demonym_country("South Korean") == "South Korea"
    assert demonym_country("Lowtowner") is None

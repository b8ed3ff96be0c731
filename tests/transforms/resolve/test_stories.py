"""Story clustering on invented articles: same event together, a similar but different event apart."""

from transforms.resolve.stories import cluster_stories, story_terms

FLOOD_A = ("Heavy rain flooded the river town of Lowmere on Monday, and the mayor Ana Lind ordered 300 families "
           "to leave their homes. Firefighters used boats to reach Lowmere's old quarter.")
FLOOD_B = ("Rescuers in boats reached families trapped in Lowmere after the river burst its banks on Monday. "
           "Mayor Ana Lind said 300 families had left their homes in the flooded town.")
FLOOD_OTHER = ("The Sava river flooded the city of Brodsk on Thursday and governor Petar Ilic ordered the "
               "evacuation of the old town, where firefighters rescued residents from rooftops.")
ELECTION = ("Voters in Kestrel elected Omar Haddad as president on Sunday after a campaign dominated by taxes "
            "and unemployment; turnout was the highest since 1994.")


def test_reports_of_one_event_share_a_story_and_others_do_not():
    ids = ["a", "b", "c", "d"]
    stories = cluster_stories(ids, [None] * 4, [FLOOD_A, FLOOD_B, FLOOD_OTHER, ELECTION])
    assert stories["a"] == stories["b"]
    assert len({stories["a"], stories["c"], stories["d"]}) == 3


def test_story_ids_are_stable_and_order_free():
    first = cluster_stories(["a", "b"], [None, None], [FLOOD_A, FLOOD_B])
    second = cluster_stories(["b", "a"], [None, None], [FLOOD_B, FLOOD_A])
    assert first == second


def test_names_weigh_more_than_common_words():
    terms = story_terms(None, "Officials said the Lowmere bridge was closed.")
    assert terms["lowmere"] > terms["bridge"]


def test_story_dates_come_from_real_article_dates():
    from datetime import date

    import polars as pl

    from transforms.resolve.corpus import date_stories
    import contract

    articles = pl.DataFrame({
        "article_id": ["a", "b", "c", "d"], "story_id": ["s"] * 4,
        "published_date": [date(2024, 2, 5), None, None, None],
        "reference_date": [date(2024, 2, 5), date(2024, 2, 19), date(2024, 3, 1), date(2021, 2, 7)],
        "reference_precision": ["day", "day", "month", "day"]})
    stories = contract.conform(pl.DataFrame({"story_id": ["s"], "article_count": [4], "source_count": [4]}),
                               contract.STORIES)
    [row] = date_stories(stories, articles, {"d"}).iter_rows(named=True)
    # "c" is only placed in a month; "d" has a year other sources contradict
    assert (row["first_published"], row["last_published"]) == (date(2024, 2, 5), date(2024, 2, 19))

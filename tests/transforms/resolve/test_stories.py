"""Story clustering on invented articles: same event together, a similar but different event apart."""

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.resolve.stories import cluster_stories, story_terms

# Sentences of a few words from a small vocabulary, so that groups link and chain.
WORDS = ("Lowmere flood river boats mayor families Kestrel election voters taxes Brodsk governor rescue "
         "bridge storm").split()

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


def _greedy_average_linkage(vectors, threshold):
    """The definition, slowly: merge the two clusters of highest average pairwise similarity while it is at
    least `threshold` (ties: the pair of lowest indexes)."""
    import numpy as np

    sims = np.array([[sum(a.get(t, 0.0) * w for t, w in b.items()) for b in vectors] for a in vectors])
    clusters = [[i] for i in range(len(vectors))]
    while len(clusters) > 1:
        score, x, y = max((sum(sims[i, j] for i in a for j in b) / (len(a) * len(b)), -x, -y)
                          for x, a in enumerate(clusters) for y, b in enumerate(clusters) if x < y)
        if score < threshold:
            break
        clusters[-x] += clusters.pop(-y)
    return sorted(sorted(c) for c in clusters)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), min_size=1, max_size=12),
       st.sampled_from([0.1, 0.2, 0.35]))
def test_clusters_are_those_of_average_linkage_over_the_whole_set(bags, threshold):
    """Clustering within linked groups gives what average linkage over all articles at once gives."""
    from transforms.resolve.stories import _vectors

    bodies = [" ".join(bag) for bag in bags]
    ids = [f"a{i:02d}" for i in range(len(bodies))]
    stories = cluster_stories(ids, [None] * len(ids), bodies, threshold)
    got = sorted(sorted(i for i, a in enumerate(ids) if stories[a] == s) for s in set(stories.values()))
    expected = _greedy_average_linkage(_vectors([story_terms(None, b) for b in bodies]), threshold)
    assert got == expected


def test_a_story_keeps_its_id_and_members_when_an_unlinked_story_comes():
    alone = cluster_stories(["a", "b"], [None, None], [FLOOD_A, FLOOD_B])
    with_other = cluster_stories(["a", "b", "z"], [None] * 3, [FLOOD_A, FLOOD_B, ELECTION])
    assert with_other["a"] == with_other["b"] == alone["a"]

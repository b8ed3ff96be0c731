"""Operations on a whole set of frames: stacking batches, dropping articles, and the row order of a run from
scratch whatever the batches were."""

import polars as pl

from transforms.frames import concat_frames, drop_articles, order_by_articles


def _quotes(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"article_id": pl.String, "quote_id": pl.String}, orient="row")


STORIES = pl.DataFrame({"story_id": ["s1"]})


def test_batches_stack_table_by_table_even_when_a_batch_lacks_a_table():
    stacked = concat_frames([{"quotes": _quotes(("a", "q1")), "stories": STORIES}, {"quotes": _quotes(("b", "q2"))}])
    assert list(stacked) == ["quotes", "stories"]
    assert stacked["quotes"]["quote_id"].to_list() == ["q1", "q2"]
    assert stacked["stories"].height == 1
    assert concat_frames([]) == {}


def test_dropping_articles_keeps_tables_without_an_article_id_whole():
    frames = {"quotes": _quotes(("a", "q1"), ("b", "q2"), ("a", "q3")), "stories": STORIES}
    dropped = drop_articles(frames, ["a"])
    assert dropped["quotes"]["quote_id"].to_list() == ["q2"]
    assert dropped["stories"].equals(STORIES)
    assert drop_articles(frames, [])["quotes"].height == 3


def test_rows_follow_the_article_order_and_keep_their_order_within_an_article():
    frames = {"quotes": _quotes(("b", "q1"), ("a", "q2"), ("b", "q3"), ("x", "q4"), ("a", "q5")), "stories": STORIES}
    ordered = order_by_articles(frames, ["a", "b"])
    assert ordered["quotes"]["quote_id"].to_list() == ["q2", "q5", "q1", "q3", "q4"]  # unknown articles last
    assert ordered["quotes"].columns == ["article_id", "quote_id"]
    assert ordered["stories"].equals(STORIES)

"""The corpus stage's own rules (the derivations it chains are tested in their modules)."""

from datetime import date

import polars as pl

from transforms.resolve.corpus import screen_published_dates
from contract.window import DateWindow
import contract


def test_an_implausible_publication_date_is_kept_as_text_and_noted():
    articles = contract.conform(pl.DataFrame({
        "article_id": ["good", "typo", "old"], "published_date": [date(2024, 3, 5), date(2099, 3, 5), date(1850, 1, 1)],
        "published_date_source": ["date_line"] * 3, "published_date_text": ["5 March 2024", "5.3.2099", None],
        "field_issues": [[], [], None]}, schema_overrides={"field_issues": pl.List(pl.String)}), contract.ARTICLES)
    screened = screen_published_dates(articles, DateWindow(date(2026, 12, 3)))
    rows = {r["article_id"]: r for r in screened.iter_rows(named=True)}
    assert rows["good"]["published_date"] == date(2024, 3, 5) and rows["good"]["field_issues"] == []
    assert (rows["typo"]["published_date"], rows["typo"]["published_date_source"]) == (None, None)
    assert rows["typo"]["published_date_text"] == "5.3.2099"
    assert ["implausible (2099-03-05)" in issue for issue in rows["typo"]["field_issues"]] == [True]
    assert rows["old"]["published_date_text"] == "1850-01-01"  # nothing written: the value itself is kept
    assert DateWindow(date(2026, 12, 3), earliest=date(1800, 1, 1)).published_ok(date(1850, 1, 1))

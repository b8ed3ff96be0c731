"""The files a warehouse has beside it."""

from pathlib import Path

from warehouse.paths import beside, lock_path, validation_report_folder


def test_each_warehouse_has_its_own_validation_report_folder():
    assert validation_report_folder(Path("/data/news.duckdb")) == Path("/data/news_validation")
    assert validation_report_folder("/data/other.duckdb") != validation_report_folder("/data/news.duckdb")


def test_everything_beside_the_warehouse_is_named_after_it():
    assert lock_path("/data/news.duckdb") == Path("/data/news.duckdb.lock")
    assert beside("/data/news.duckdb") == (Path("/data/news.duckdb"), Path("/data/news.duckdb.wal"),
                                           Path("/data/news.duckdb.tmp"), Path("/data/news.duckdb.lock"),
                                           Path("/data/news_validation"))

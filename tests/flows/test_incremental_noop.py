"""A run with nothing to do still records itself, and the warehouse's validation report shows it."""

from pathlib import Path

from flows.incremental import plan_run, record_noop, utcnow
from flows.settings import Settings, new_run_id
from reports.validation_report import INDEX_PAGE, run_page_path
from warehouse.paths import validation_report_folder


def test_a_noop_run_writes_the_validation_report(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    settings = Settings().with_overrides(seeds_dir=seeds, db_path=tmp_path / "news.duckdb", progress=False)
    plan = plan_run(settings)
    assert plan.changes.is_noop
    run_id = new_run_id()
    report = record_noop(settings, run_id, utcnow(), plan)
    index = validation_report_folder(settings.db_path) / INDEX_PAGE
    assert report.validation_report == index.resolve().as_uri()
    assert f">{run_id}</a>" in index.read_text()
    assert "nothing changed" in (index.parent / run_page_path(run_id)).read_text()
    assert Path(report.validation_report.removeprefix("file://")).is_file()

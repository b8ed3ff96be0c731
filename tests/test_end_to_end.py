"""The whole pipeline on the seeds through the real CLI and Prefect flow, into a temporary DuckDB."""

import datetime
import json

import pytest

from tests.helpers.paths import SEEDS
from tests.helpers.snapshots import table_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_run_completes_and_prints_summary(e2e_run, warehouse):
    from tests.helpers.report_pages import link_problems, written_pages

    out = e2e_run["first"].stdout
    assert "completed" in out and "files      seen 5: in warehouse 5, quarantined 0" in out
    assert "GX data docs" not in out  # GX's own site is off unless NEWSETL_DATA_DOCS=1
    # Both runs (the second a no-op, reporting as JSON) point to the warehouse's own validation report,
    # written before they reported it, listing both, its links working from disk.
    index = e2e_run["db"].parent / "news_validation" / "index.html"
    second = json.loads(e2e_run["second"].stdout)
    assert [out.split("validation report ")[1].split()[0], second["validation_report"]] == [index.resolve().as_uri()] * 2
    pages = written_pages(index.parent)
    assert link_problems(pages) == []
    run_ids = [out.split()[1].rstrip(":"), second["run_id"]]
    assert pages["index.html"].index(f">{run_ids[1]}</a>") < pages["index.html"].index(f">{run_ids[0]}</a>")
    [(checked,)] = warehouse.execute("SELECT count(*) FROM validation_results WHERE run_id = ?", [run_ids[0]]).fetchall()
    assert f"{checked} expectations checked" in pages[f"runs/{run_ids[0]}.html"]
    assert "No expectations were run (nothing changed)" in pages[f"runs/{run_ids[1]}.html"]


def test_summary_timings_are_the_runs_row(e2e_run, warehouse):
    import json
    import re

    out = e2e_run["first"].stdout
    shown = {}
    for label, prefix in (("stages", ""), ("start-up", "startup_")):
        line = next(line for line in out.splitlines() if line.strip().startswith(label + " "))
        shown.update({prefix + name: float(value) for name, value in re.findall(r"(\w+) ([\d.]+)s", line)})
    [(recorded,)] = warehouse.execute("SELECT stage_seconds FROM runs WHERE status = 'completed'").fetchall()
    assert shown == {name: round(value, 2) for name, value in json.loads(recorded).items()}


def test_noop_rerun_json_is_its_runs_row(e2e_run, warehouse):
    import json

    summary = json.loads(e2e_run["second"].stdout)
    assert (summary["status"], summary["files_unchanged"], summary["documents_processed"]) == ("noop", 5, 0)
    assert summary["files_seen"] == summary["files_loaded"] == 5 and summary["counts"]["articles"] == 5
    [(recorded,)] = warehouse.execute("SELECT stage_seconds FROM runs WHERE run_id = ?",
                                      [summary["run_id"]]).fetchall()
    assert summary["stage_seconds"] == json.loads(recorded)  # one timing source, load included
    assert summary["stage_seconds"]["load"] > 0


def test_one_worker_process_gives_the_same_warehouse(e2e_run, scratch_warehouse):
    # the e2e run extracts in two worker processes; the scratch warehouse in the flow's own process
    assert table_snapshot(scratch_warehouse(SEEDS)) == e2e_run["snapshot_after_first"]


def test_summary_reports_peak_memory(e2e_run, warehouse):
    [(peak,)] = warehouse.execute("SELECT peak_rss_mb FROM runs WHERE status = 'completed'").fetchall()
    assert 100 < peak < 4000
    assert f"peak RSS {peak} MB" in e2e_run["first"].stdout


def test_row_counts(warehouse):
    counts = {t: warehouse.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "raw_documents", "entities", "entity_mentions", "quotes", "events", "runs")}
    assert counts["articles"] == counts["raw_documents"] == 5
    assert counts["entities"] >= 30 and counts["entity_mentions"] >= 150
    assert counts["quotes"] >= 10 and counts["events"] >= 30
    assert counts["runs"] == 2


def test_second_run_changes_nothing(e2e_run):
    assert e2e_run["second"].returncode == 0
    assert table_snapshot(e2e_run["db"]) == e2e_run["snapshot_after_first"]


def test_offsets_reproduce_text(warehouse):
    bad = warehouse.execute("""
        SELECT count(*) FROM entity_mentions m JOIN articles a USING (article_id)
        WHERE m.text_field = 'body' AND substring(a.body, m.start_char + 1, m.end_char - m.start_char) <> m.surface
    """).fetchone()[0]
    assert bad == 0
    bad_quotes = warehouse.execute("""
        SELECT count(*) FROM quotes q JOIN articles a USING (article_id)
        WHERE substring(a.body, q.start_char + 1, q.end_char - q.start_char) <> q.quote_text""").fetchone()[0]
    assert bad_quotes == 0


def test_known_facts(warehouse):
    # Cross-article: the defence minister is one entity however he is written.
    asif = warehouse.execute("""
        SELECT e.canonical_name, count(DISTINCT m.article_id) FROM entities e JOIN entity_mentions m USING (entity_id)
        WHERE e.canonical_name LIKE '%Asif' GROUP BY 1""").fetchall()
    assert asif == [("Khawaja Mohammad Asif", 4)]  # one article names him only as "Pakistan's defense minister"
    role_alias = warehouse.execute("""
        SELECT count(*) FROM entity_aliases a JOIN entities e USING (entity_id)
        WHERE e.canonical_name = 'Khawaja Mohammad Asif' AND a.alias_kind = 'role'""").fetchone()[0]
    assert role_alias >= 1
    assert warehouse.execute("SELECT count(*) FROM entities WHERE canonical_name = 'Türkiye'").fetchone()[0] == 0
    # Who said what.
    speakers = dict(warehouse.execute("SELECT quote_text, speaker FROM who_said_what").fetchall())
    assert speakers["We went there for a cup of tea, but that tea was very expensive,"] == "Ishaq Dar"
    # What happened when: the 19 October ceasefire.
    ceasefire_days = {str(d) for (d,) in warehouse.execute(
        "SELECT event_date FROM events WHERE event_type = 'ceasefire' AND date_precision = 'day'").fetchall()}
    assert "2025-10-19" in ceasefire_days
    # Clutter is kept, with reasons.
    reasons = {r for (r,) in warehouse.execute("SELECT DISTINCT reason FROM article_clutter").fetchall()}
    assert {"navigation", "weather", "sponsored", "near_duplicate", "greeting", "url"} <= reasons


def test_run_log(warehouse):
    runs = warehouse.execute(
        "SELECT status, files_seen, files_loaded, files_quarantined, files_new, files_unchanged, documents_processed "
        "FROM runs ORDER BY started_at").fetchall()
    assert runs == [("completed", 5, 5, 0, 5, 0, 5), ("noop", 5, 5, 0, 0, 5, 0)]
    results = warehouse.execute("SELECT count(*), bool_and(success) FROM validation_results").fetchone()
    assert results[0] > 100 and results[1]


def test_story_events_and_conflicts(warehouse):
    assert warehouse.execute("SELECT count(*) FROM stories").fetchone()[0] == 1
    # The 19 October ceasefire is one story event, reported by several articles.
    [(story_event_id, articles, disputed)] = warehouse.execute("""
        SELECT story_event_id, article_count, disputed FROM story_events
        WHERE event_type = 'ceasefire' AND event_date = DATE '2025-10-19'""").fetchall()
    assert articles >= 3 and disputed
    # Which claims are disputed, and by whom: the article that dates it two years earlier...
    year = warehouse.execute("""
        SELECT c.value_b, a.seed_name FROM conflicts c JOIN articles a ON a.article_id = c.article_b
        WHERE c.story_event_id = ? AND c.kind = 'different_year'""", [story_event_id]).fetchall()
    assert year == [("2023-10-19", "003_4da35b025ce5a9f2.txt")]
    # ...and the length of the October round of talks: four days in one article, five in another.
    lengths = warehouse.execute("""
        SELECT c.value_a, a.seed_name, c.value_b, b.seed_name FROM conflicts c
        JOIN articles a ON a.article_id = c.article_a JOIN articles b ON b.article_id = c.article_b
        JOIN story_events s USING (story_event_id)
        WHERE c.attribute = 'duration_days' AND s.event_type = 'talks'""").fetchall()
    assert len(lengths) == 1 and {lengths[0][0], lengths[0][2]} == {"4", "5"}
    assert {lengths[0][1], lengths[0][3]} == {"000_1b3c65afea547e31.txt", "001_26c62c5d89ea49d3.txt"}
    # Every per-article report of a story event links back to it.
    unlinked = warehouse.execute("""SELECT count(*) FROM events e LEFT JOIN story_events s USING (story_event_id)
                                    WHERE e.event_type <> 'statement' AND s.story_event_id IS NULL""").fetchone()[0]
    assert unlinked == 0


def test_timeline_view(warehouse):
    rows = warehouse.execute("SELECT event_date, event_type, source_count, disputed FROM timeline "
                             "WHERE event_date IS NOT NULL").fetchall()
    assert rows == sorted(rows, key=lambda r: r[0])
    assert (datetime.date(2025, 10, 19), "ceasefire") in {(r[0], r[1]) for r in rows}
    disputed = warehouse.execute("SELECT count(*) FROM disputed_claims").fetchone()[0]
    assert disputed >= 2


def test_reference_dates_are_explained(warehouse):
    rows = dict((s, (d, p, src)) for s, d, p, src in warehouse.execute(
        "SELECT seed_name, reference_date, reference_precision, reference_date_source FROM articles").fetchall())
    assert rows["000_1b3c65afea547e31.txt"][2] == "published"
    assert rows["004_4395389ad3e5c8ad.txt"] == (datetime.date(2025, 11, 6), "day", "story")
    # Nothing is dated from the clock: no event after the latest reference date.
    latest = warehouse.execute("SELECT max(event_date) FROM events").fetchone()[0]
    assert latest <= max(d for d, _, _ in rows.values())

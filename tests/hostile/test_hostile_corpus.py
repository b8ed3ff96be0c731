"""The hostile corpus (`tests.hostile.corpus`) plus the seed articles through the CLI (the full run in the test
process, the runs, report and export after it as processes of their own), with the warehouse,
a story report and an export inside the seeds folder: the run completes, every good file loads, every bad one
is quarantined with its reason, seen = loaded + quarantined, what is skipped by design is counted, nothing
newsetl writes is ever read back, nothing outside its output folders changes, and no process is left behind."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from tests.helpers.cli import kept_worker_pids, run_cli, run_cli_here
from tests.helpers.paths import SEEDS
from tests.helpers.processes import processes_marked, wait_for
from tests.hostile import corpus
from transforms.extract.quotes import MAX_QUOTE_CHARS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


# What a run writes under the test's root folder: the warehouse (inside the seeds folder), the story report and
# the export (written inside it too, on purpose) and the GX project copy. Nothing else may change.
OUTPUTS = ("seeds/warehouse", "seeds/report", "seeds/export", "expectations")


def _digest_outside_outputs(root: Path) -> dict[str, str]:
    """sha256 of every file under `root` but the outputs, links by their target (never followed)."""
    digests = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if any(relative == out or relative.startswith(out + "/") for out in OUTPUTS):
            continue
        if path.is_symlink():
            digests[relative] = "-> " + os.readlink(path)
        elif path.is_file() and not path.is_fifo():
            digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    seeds.mkdir()
    cases = corpus.write(seeds)
    for seed in sorted(SEEDS.glob("*.txt")):
        (seeds / seed.name).write_bytes(seed.read_bytes())
        cases.append(corpus.Case(seed.name, b"", corpus.LOADED, "seed article"))
    before = _digest_outside_outputs(root)
    db = seeds / "warehouse" / "news.duckdb"  # inside the seeds folder: never an input
    marker = uuid.uuid4().hex
    env = {"NEWSETL_MAX_FILE_BYTES": str(corpus.MAX_FILE_BYTES), "NEWSETL_HOSTILE_MARKER": marker}
    args = ["run", "--seeds", str(seeds), "--db", str(db), "--no-progress"]
    first = run_cli_here(args, root, env=env)  # the full run in this process; the runs after it as processes
    wait_for(lambda: not set(processes_marked(marker)) - kept_worker_pids(), timeout=10)
    second = run_cli(args, root, env=env)
    # a report and an export written inside the seeds folder, then a run: they are not articles
    writers = [run_cli(["report", "--db", str(db), "--out", str(seeds / "report")], root),
               run_cli(["export", "--db", str(db), "--parquet", str(seeds / "export")], root)]
    third = run_cli(args + ["--json"], root, env=env)
    after = _digest_outside_outputs(root)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    return SimpleNamespace(first=first, second=second, third=third, writers=writers, db=db, marker=marker,
                           cases={c.seed_name: c for c in cases}, changed=changed)


def test_the_run_completes_and_counts_add_up(hostile_run):
    first, db, cases = hostile_run.first, hostile_run.db, hostile_run.cases
    assert first.returncode == 0, first.stdout + first.stderr
    con = duckdb.connect(str(db), read_only=True)
    seen, loaded, quarantined = con.execute("SELECT files_seen, files_loaded, files_quarantined FROM runs "
                                            "ORDER BY started_at LIMIT 1").fetchone()
    assert seen == len(cases) == loaded + quarantined
    assert loaded == sum(1 for c in cases.values() if c.outcome == corpus.LOADED)


def test_every_file_gets_its_expected_outcome(hostile_run):
    db, cases = hostile_run.db, hostile_run.cases
    con = duckdb.connect(str(db), read_only=True)
    got = {name: (corpus.LOADED if status == "loaded" else check)
           for name, status, check in con.execute("SELECT seed_name, status, check_name FROM manifest").fetchall()}
    assert got == {name: case.outcome for name, case in cases.items()}
    reasons = dict(con.execute("SELECT record_key, reason FROM quarantine WHERE table_name = 'files'").fetchall())
    assert all(len(reasons[name]) > 10 for name, case in cases.items() if case.outcome != corpus.LOADED)


def test_good_files_load_intact(hostile_run):
    db = hostile_run.db
    con = duckdb.connect(str(db), read_only=True)
    bodies = dict(con.execute("SELECT seed_name, body FROM articles").fetchall())
    assert "DROP TABLE articles;--" in bodies["sql 'quotes' \"here\".txt"]
    assert "Ångström" in bodies["ünïcödé náme.txt"] and "Cafeville" in bodies["caf\\xe9 latin1 name.txt"]
    assert "Hilltown" in bodies["utf16 article.txt"] and "Traders on both banks" in bodies["cp1252 article.txt"]
    assert "alert(" not in bodies["scripts.html"] and "track()" not in bodies["scripts.html"]
    assert "lollol" not in bodies["entities.html"]  # entities are never expanded
    assert "Nestford" in bodies["nested.html"] and "Deepdale" in bodies["deep.html"]
    assert "Strayford" in bodies["two stray bytes.txt"] and "“We will not take risks" in bodies["two stray bytes.txt"]
    assert "Wavemouth \U0001F30A said" in bodies["cesu pairs.txt"]
    assert bodies["markup story.txt"].split() == corpus.MARKUP_STORY.split()  # every word: prose, not a page


def test_no_quote_is_longer_than_the_cap(hostile_run):
    db = hostile_run.db
    con = duckdb.connect(str(db), read_only=True)
    quotes = [text for (text,) in con.execute("SELECT q.quote_text FROM quotes q JOIN articles a USING (article_id) "
                                              "WHERE a.seed_name = 'unclosed quote.txt'").fetchall()]
    assert "We will not take risks with people’s lives," in quotes
    assert con.execute("SELECT max(length(quote_text)) FROM quotes").fetchone()[0] <= MAX_QUOTE_CHARS


def test_an_impossible_date_is_refused_with_a_field_issue(hostile_run):
    db = hostile_run.db
    con = duckdb.connect(str(db), read_only=True)
    published, text, issues = con.execute("SELECT published_date, published_date_text, field_issues FROM articles "
                                          "WHERE seed_name = 'impossible date.html'").fetchone()
    assert (published, text) == (None, "2024-02-30")
    assert issues == ["published_date: not a calendar date (2024-02-30); kept as text in published_date_text"]


def test_an_implausible_date_is_text_and_does_not_touch_its_story(hostile_run):
    db = hostile_run.db
    con = duckdb.connect(str(db), read_only=True)
    dates = {name: (published, text) for name, published, text in con.execute(
        "SELECT seed_name, published_date, published_date_text FROM articles").fetchall()}
    assert dates["flood c.txt"] == (None, "5 March 2099") and dates["year 9999.txt"][0] is None
    first, last = con.execute("SELECT s.first_published, s.last_published FROM stories s JOIN articles a "
                              "USING (story_id) WHERE a.seed_name = 'flood a.txt'").fetchone()
    assert (first.year, last.year) == (2024, 2024)


def test_the_warehouse_never_reads_itself_and_nothing_is_left_running(hostile_run):
    second, cases, marker = hostile_run.second, hostile_run.cases, hostile_run.marker
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"seen {len(cases)}" in second.stdout and "new 0, changed 0" in second.stdout
    assert not set(processes_marked(marker)) - kept_worker_pids()  # but the validation worker this process keeps


def test_what_is_skipped_by_design_is_counted_and_outputs_are_never_read(hostile_run):
    assert [w.returncode for w in hostile_run.writers] == [0, 0], [w.stderr for w in hostile_run.writers]
    third = json.loads(hostile_run.third.stdout)
    assert third["status"] == "noop" and third["files_seen"] == len(hostile_run.cases)  # report, export: not read
    assert third["skipped"] == {**dict.fromkeys(third["skipped"], 0), **corpus.SKIPPED_BY_DESIGN,
                                "newsetl_outputs": third["skipped"]["newsetl_outputs"]}
    assert third["skipped"]["newsetl_outputs"] >= 2  # the report and the export folders (and the warehouse's files)
    assert third["entries_skipped"] == sum(third["skipped"].values())


def test_nothing_outside_the_output_folders_changed(hostile_run):
    assert hostile_run.changed == set()

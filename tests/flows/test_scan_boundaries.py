"""The seeds scan through the CLI (in the test process, the unreadable run as a process of its own): a report and an export written inside the seeds folder are not read
back as articles (counted as skipped), and a subfolder that cannot be listed is named and its articles kept,
not retracted. Runs as root too: the unreadable run drops the capabilities that let root ignore `chmod 000`
(`setpriv`), so the real permission check is what fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import duckdb
import pytest

from tests.helpers.cli import cli_env, copy_expectations, run_cli_here
from tests.helpers.paths import BIN, ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Invented articles: five at the top, two in a subfolder (fewer than half, so the old scan's retraction of
# them was not stopped by the mass-removal check).
ARTICLES = {
    "harbour.txt": "Harbour board approves new ferry pier\n\nThe Westhaven harbour board voted on Tuesday to build a "
                   "second ferry pier, chair Maria Olsen said. Work starts in March.",
    "library.txt": "Library extends opening hours\n\nThe Westhaven public library will open until nine on weekdays "
                   "from next month, director Tom Reyes announced on Monday.",
    "market.txt": "Farmers market moves to the square\n\nThe Saturday farmers market moves to Station Square in "
                  "April, the town council said on Wednesday.",
    "bridge.txt": "Old bridge closes for repairs\n\nThe Mill Street bridge will close for six weeks from Friday "
                  "while engineers replace its deck, the roads office said.",
    "school.txt": "School wins robotics prize\n\nPupils from Westhaven Grammar won the regional robotics contest "
                  "in Brandt on Saturday, teacher Ana Liu said.",
    "sub/council.txt": "Council backs budget\n\nThe Westhaven council approved its budget on Thursday after a "
                       "two-hour debate, mayor John Park said.",
    "sub/ferry.txt": "Ferry fares to rise\n\nFerry fares between Westhaven and Brandt rise by ten percent in May, "
                     "the operator Blue Line said on Friday.",
}


def _without_permission_override() -> list[str]:
    """As root: `setpriv` without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, so `chmod 000` stops the process."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: chmod 000 cannot stop root here")
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("setpriv cannot drop CAP_DAC_OVERRIDE here")
    return prefix


def _run_json(root, seeds, db, prefix: list[str] = ()) -> dict:
    """`newsetl run --json`: in the test process, or as a process started through `prefix` when there is one."""
    args = ["run", "--seeds", str(seeds), "--db", str(db), "--no-progress", "--json"]
    if prefix:
        if not (root / "expectations").exists():
            copy_expectations(root / "expectations")
        result = subprocess.run([*prefix, str(BIN / "newsetl"), *args], cwd=ROOT, env=cli_env(root),
                                capture_output=True, text=True, timeout=600)
    else:
        result = run_cli_here(args, root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _articles(db) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [row[0] for row in con.execute("SELECT seed_name FROM articles ORDER BY seed_name").fetchall()]


def test_outputs_inside_the_seeds_folder_are_skipped_and_an_unreadable_folder_keeps_its_articles(tmp_path):
    seeds, db = tmp_path / "seeds", tmp_path / "news.duckdb"
    for name, text in ARTICLES.items():
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_text(text + "\n", encoding="utf-8")
    first = _run_json(tmp_path, seeds, db)
    assert first["status"] == "completed" and first["files_seen"] == 7
    loaded = _articles(db)
    assert "sub/council.txt" in loaded

    # a report and an export written inside the seeds folder are newsetl's output, not articles
    for command in (["report", "--db", str(db), "--out", str(seeds / "report")],
                    ["export", "--db", str(db), "--parquet", str(seeds / "exports" / "parquet")]):
        written = run_cli_here(command, tmp_path)
        assert written.returncode == 0, written.stderr
    second = _run_json(tmp_path, seeds, db)
    assert (second["status"], second["files_seen"], second["files_new"]) == ("noop", 7, 0)
    assert second["skipped"]["newsetl_outputs"] == 2 and second["entries_skipped"] == 2

    # a subfolder that cannot be listed while a new article arrives: the folder is named, its files are kept
    # as they were (their rows reused through the full run), nothing is retracted
    (seeds / "newsroom.txt").write_text("Newsroom opens in the old mill\n\nThe Westhaven Courier opened its new "
                                        "newsroom in the old mill on Monday, editor Sam Ortiz said.\n", encoding="utf-8")
    (seeds / "sub").chmod(0)
    try:
        third = _run_json(tmp_path, seeds, db, _without_permission_override())
    finally:
        (seeds / "sub").chmod(0o755)
    assert (third["status"], third["files_new"], third["files_removed"]) == ("completed", 1, 0)  # was: removed 2
    assert third["files_unknown"] == 2
    assert third["unreadable_folders"] == [{"folder": "sub", "reason": "PermissionError: Permission denied"}]
    assert any(n.startswith("could not list sub/") and "2 known file(s) are kept" in n for n in third["notices"])
    assert _articles(db) == sorted(loaded + ["newsroom.txt"])
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT record_key, check_name FROM quarantine WHERE run_id = ?",
                           [third["run_id"]]).fetchall() == [("sub/", "unreadable_folder")]
        assert con.execute("SELECT count(*) FROM manifest").fetchone()[0] == 8
        assert con.execute("SELECT entries_skipped FROM runs WHERE run_id = ?", [third["run_id"]]).fetchone() == (2,)

    # readable again: the same eight files, nothing to do
    fourth = _run_json(tmp_path, seeds, db)
    assert (fourth["status"], fourth["files_seen"], fourth["files_removed"], fourth["files_unknown"]) == ("noop", 8, 0, 0)
    assert _articles(db) == sorted(loaded + ["newsroom.txt"])

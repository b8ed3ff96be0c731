"""Every command as a careless user types it: a bad number, an empty path, a file where a folder is expected
(and the reverse), an abbreviated option, a warehouse that is missing, a folder, text, empty, damaged or cut
short. Each gets one line and a non-zero exit (2 for usage, argparse's; 1 for the rest), never a traceback."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

import contract
from cli.main import build_parser, main
from cli.readonly import open_read_only
from cli.sql_shell import Shell, repl
from tests.helpers.paths import BIN, ROOT
from warehouse.loader import LoadPlan, load

# A DuckDB 2.0 file starts with its main header and two database headers, 4 KiB each; block N follows at
# HEADERS_BYTES + N * block_size.
HEADERS_BYTES = 3 * 4096
BLOCK_CHECKSUM_BYTES = 8  # each block starts with its checksum


def _run_row(number: int) -> dict:
    started = datetime(2026, 2, 1, 9) + timedelta(days=number)
    return {"run_id": f"run-{number:02d}", "started_at": started, "finished_at": started + timedelta(seconds=3),
            "status": "completed", "seeds_dir": "in", "code_version": "v1", "files_seen": 1, "files_new": 1,
            "files_changed": 0, "files_unchanged": 0, "files_removed": 0, "documents_processed": 1,
            "files_loaded": 1, "files_quarantined": 0, "articles": 1, "entities": 0, "mentions": 0, "quotes": 0,
            "events": 0, "stage_seconds": "{}"}


RUN_COUNT = 12  # more than status shows by default (10)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A warehouse made by the project's loader: twelve runs and one story, so that status and report read
    table data (not only the catalog)."""
    path = tmp_path_factory.mktemp("cli-arguments") / "news.duckdb"
    story = {"story_id": "s1", "title": "A harbour closes for a day", "article_count": 1, "source_count": 1}
    load(path, LoadPlan(frames={"runs": contract.rows_to_frame([_run_row(n) for n in range(RUN_COUNT)], contract.RUNS),
                                "stories": contract.rows_to_frame([story], contract.STORIES)}))
    return path


def _usage_error(argv: list[str], capsys) -> str:
    """argparse's refusal: exit 2, the usage and one `error:` line; returns that line. Only the parser runs:
    an argument it let through must not start a run or a watch that never ends."""
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize(("argv", "says"), [
    (["status", "--limit", "-1"], "argument --limit: -1 is out of range: expected a whole number, 0 or more"),
    (["status", "--limit", "two"], "argument --limit: 'two' is not a whole number"),
    (["sql", "--max-rows", "-3", "-c", "SELECT 1"], "argument --max-rows: -3 is out of range"),
    (["sql", "--max-width", "-1", "-c", "SELECT 1"], "argument --max-width: -1 is out of range"),
    (["run", "--batch-size", "0"], "argument --batch-size: 0 is out of range: expected a whole number, 1 or more"),
    (["run", "--wait", "-5"], "argument --wait: -5 is out of range: expected a number, 0 or more"),
    (["run", "--wait", "inf"], "argument --wait: inf is out of range"),
    (["run", "--log-level", "loud"], "argument --log-level: invalid choice: 'LOUD'"),
    (["watch", "--poll", "0"], "argument --poll: 0 is out of range: expected a number, more than 0"),
    (["watch", "--debounce", "-1"], "argument --debounce: -1 is out of range"),
    (["watch", "--max-runs", "0"], "argument --max-runs: 0 is out of range"),
    (["serve", "--interval", "0"], "argument --interval: 0 is out of range: expected a number, more than 0"),
    (["serve", "--interval", "nan"], "argument --interval: nan is out of range"),
    (["serve", "--cron", "0 * * * *", "--port", "70000"], "argument --port: 70000 is out of range: expected a whole "
                                                          "number, from 1 to 65535"),
    (["status", "--db", ""], "argument --db: an empty path"),
    (["run", "--seeds", ""], "argument --seeds: an empty path"),
    (["report", "--out", ""], "argument --out: an empty path"),
    (["export", "--parquet", ""], "argument --parquet: an empty path"),
    (["sql", "-f", ""], "argument -f: an empty path"),
    (["status", "--lim", "2"], "unrecognized arguments: --lim 2"),
    (["run", "--seed", "elsewhere"], "unrecognized arguments: --seed elsewhere"),
    (["export", "--par", "out"], "the following arguments are required: --parquet"),
])
def test_a_bad_argument_is_one_usage_line_and_exit_2(argv, says, capsys):
    line = _usage_error(argv, capsys)
    assert line.startswith(("newsetl: error:", f"newsetl {argv[0]}: error:")), line
    assert says in line, line


def test_every_command_refuses_abbreviated_options():
    parser = build_parser()
    [sub] = [action for action in parser._actions if action.__class__.__name__ == "_SubParsersAction"]
    assert parser.allow_abbrev is False
    assert all(command.allow_abbrev is False for command in sub.choices.values())


def test_status_limit_0_lists_every_run(db, capsys):
    assert main(["status", "--db", str(db), "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"last {RUN_COUNT} run(s) of {db}")
    assert sum(line.startswith("run-") for line in out.splitlines()) == RUN_COUNT
    assert main(["status", "--db", str(db)]) == 0  # the default is still the last 10
    assert sum(line.startswith("run-") for line in capsys.readouterr().out.splitlines()) == 10


def test_status_help_says_what_0_means(capsys):
    with pytest.raises(SystemExit):
        main(["status", "--help"])
    assert "0: all" in capsys.readouterr().out


# --- Warehouses that cannot be read, for every read-side command -----------------------------------------

def _damage_blocks_of(path: Path, table: str) -> None:
    """Overwrite the start of each of `table`'s column segments on disk: the file still opens (its catalog
    is intact) and fails only when that table is read, as a disk error or a bad copy would leave it. (A
    block's checksum covers the part of it in use, so the bytes changed are those of the segments.)"""
    with duckdb.connect(str(path), read_only=True) as con:
        block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
        segments = con.execute("SELECT DISTINCT block_id, block_offset FROM pragma_storage_info(?) "
                               "WHERE block_id >= 0", [table]).fetchall()
    assert segments, f"{table} has no data on disk to damage"
    with open(path, "r+b") as handle:
        for block, offset in segments:
            handle.seek(HEADERS_BYTES + block * block_size + BLOCK_CHECKSUM_BYTES + offset)
            handle.write(b"\xab" * 16)


def _cut_after_catalog(path: Path) -> None:
    """Keep the headers and the first block (the catalog) and drop the rest: a copy cut short."""
    with duckdb.connect(str(path), read_only=True) as con:
        block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    with open(path, "r+b") as handle:
        handle.truncate(HEADERS_BYTES + block_size)


def _broken_warehouse(kind: str, db: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "news.duckdb"
    if kind == "missing":
        return path
    if kind == "folder":
        path.mkdir()
    elif kind == "text":
        path.write_text("SELECT 'this is not a database';\n")
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        shutil.copy(db, path)
        if kind == "damaged header":
            with open(path, "r+b") as handle:
                handle.seek(100)
                handle.write(b"\0" * 8000)
        elif kind == "damaged blocks":
            _damage_blocks_of(path, "runs")
            _damage_blocks_of(path, "stories")
        elif kind == "cut short":
            _cut_after_catalog(path)
    return path


SAYS = {"missing": "no warehouse at", "folder": "is a folder, not a warehouse file",
        "text": "not a valid DuckDB database file", "empty": "not a valid DuckDB database file",
        "damaged header": "is damaged (Corrupt database file", "damaged blocks": "is damaged (Corrupt database file",
        "cut short": "is damaged (IO Error: Could not read enough bytes"}


def _read_side(command: str, db: Path, folder: Path) -> list[str]:
    return {"status": ["status", "--db", str(db)],
            "sql": ["sql", "--db", str(db), "-c", "SELECT count(*) FROM runs; SELECT * FROM stories"],
            "report": ["report", "--db", str(db), "--out", str(folder / "report")],
            "export": ["export", "--db", str(db), "--parquet", str(folder / "export")]}[command]


@pytest.mark.parametrize("kind", sorted(SAYS))
@pytest.mark.parametrize("command", ["status", "sql", "report", "export"])
def test_an_unreadable_warehouse_is_one_line_and_exit_1(db, tmp_path, command, kind, capsys):
    broken = _broken_warehouse(kind, db, tmp_path)
    assert main(_read_side(command, broken, tmp_path)) == 1
    out = capsys.readouterr()
    assert out.err.startswith("newsetl: ") and out.err.count("\n") == 1, out.err
    assert SAYS[kind] in out.err, out.err
    assert str(broken) in out.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if kind == "missing" else ["news.duckdb"])


def test_the_damage_fixtures_do_what_they_say(db, tmp_path):
    """The damaged copy opens and fails only on the damaged table; the cut copy opens too."""
    damaged = _broken_warehouse("damaged blocks", db, tmp_path / "damaged")
    with duckdb.connect(str(damaged), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quotes").fetchone() == (0,)
        for table in ("runs", "stories"):
            with pytest.raises(duckdb.Error, match="Corrupt database file"):
                con.execute(f"SELECT * FROM {table}").fetchall()
    cut = _broken_warehouse("cut short", db, tmp_path / "cut")
    with duckdb.connect(str(cut), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quotes").fetchone() == (0,)
        with pytest.raises(duckdb.IOException, match="Could not read enough bytes"):
            con.execute("SELECT * FROM runs").fetchall()


def test_status_of_a_runs_table_of_another_shape_is_one_line(tmp_path, capsys):
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE runs (id INTEGER)")
    assert main(["status", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"newsetl: cannot read the runs of {path}: Binder Error") and err.count("\n") == 1


def test_report_out_a_file_is_one_line(db, tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine\n")
    assert main(["report", "--db", str(db), "--out", str(a_file)]) == 1
    assert capsys.readouterr().err == (f"newsetl: {a_file} is not a folder (--out names the folder the report is "
                                       "written into)\n")
    assert main(["report", "--db", str(db), "--out", str(a_file / "sub")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"newsetl: cannot write the report into {a_file / 'sub'}: Not a directory")
    assert err.count("\n") == 1
    assert a_file.read_text() == "mine\n" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_export_parquet_a_file_is_one_line(db, tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine\n")
    assert main(["export", "--db", str(db), "--parquet", str(a_file)]) == 1
    assert capsys.readouterr().err == f"newsetl: {a_file} is not a folder\n"
    assert main(["export", "--db", str(db), "--parquet", str(a_file / "sub")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"newsetl: export to {a_file / 'sub'} failed: Not a directory") and err.count("\n") == 1
    assert a_file.read_text() == "mine\n"


def test_report_and_export_still_write_into_their_folders(db, tmp_path, capsys):
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report" / "index.html").is_file()
    assert main(["export", "--db", str(db), "--parquet", str(tmp_path / "export")]) == 0
    assert (tmp_path / "export" / "runs" / "part-0.parquet").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export", "report"]


@pytest.mark.parametrize("kind", ["missing", "folder", "binary"])
def test_sql_f_that_cannot_be_read_is_one_line(db, tmp_path, kind, capsys):
    path = tmp_path / "query.sql"
    if kind == "folder":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(b"SELECT 1;\n\x89PNG\r\n\x1a\n\x00\xff")
    assert main(["sql", "--db", str(db), "-f", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"newsetl: cannot read {path}: ") and err.count("\n") == 1, err
    if kind == "binary":
        assert "not UTF-8 text" in err


def test_sql_c_with_bytes_that_are_not_utf8_is_one_line(db, capsys):
    """A terminal in a non-UTF-8 locale hands Python such bytes as lone surrogates."""
    assert main(["sql", "--db", str(db), "-c", "SELECT '\udcff' AS a"]) == 1
    assert capsys.readouterr().err == "newsetl: the statement is not UTF-8 text (a byte 0xff at character 8)\n"


def test_statements_piped_in_that_are_not_utf8_end_the_shell_with_one_line(db):
    con = open_read_only(db)
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(b"SELECT 1 AS one;\nSELECT '\xff';\n"), encoding="utf-8", errors="strict")
    try:
        code = repl(Shell(con, out, err), stdin, interactive=False)
    finally:
        con.close()
    assert code == 1
    assert err.getvalue().startswith("newsetl: the statements read are not UTF-8 text") and err.getvalue().count("\n") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
@pytest.mark.parametrize("command", ["status", "sql", "report", "export"])
def test_a_warehouse_the_user_may_not_read_is_one_line(db, tmp_path, command, capsys):
    unreadable = tmp_path / "news.duckdb"
    shutil.copy(db, unreadable)
    unreadable.chmod(0)
    assert main(_read_side(command, unreadable, tmp_path)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"newsetl: cannot open {unreadable}: ") and err.count("\n") == 1, err


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(db):
    """`newsetl sql ... | head -1`: the process, not a capture, because the pipe must really close."""
    process = subprocess.Popen([str(BIN / "newsetl"), "sql", "--db", str(db), "--max-rows", "0", "-c",
                                "SELECT range AS n FROM range(200000)"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT)
    assert process.stdout.readline().strip() == b"n"
    process.stdout.close()  # as `head -1` does once it has its line
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert err == ""

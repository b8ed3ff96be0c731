"""`newsetl sql`: statements on the warehouse, read-only, printed as aligned tables with a row count; the
shell reads statements until `;` and knows .tables, .schema and .quit."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

import contract
from flows.cli import main
from flows.sql_shell import Shell, repl
from tests.conftest import BIN, ROOT
from warehouse.loader import LoadPlan, load


def _run_row(number: int) -> dict:
    started = datetime(2026, 1, number, 9)
    return {"run_id": f"run-{number}", "started_at": started, "finished_at": started + timedelta(seconds=2),
            "status": "completed" if number == 1 else "noop", "seeds_dir": "seeds", "code_version": "v1",
            "files_seen": 5, "files_new": 0, "files_changed": 0, "files_unchanged": 0, "files_removed": 0,
            "documents_processed": 5 if number == 1 else 0, "files_loaded": 5, "files_quarantined": 0,
            "articles": 5, "entities": 0, "mentions": 0, "quotes": 0, "events": 0, "stage_seconds": "{}"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A warehouse made by the project's own loader (its DDL and views) with three runs, plus a table of
    awkward values: a NULL, a line break, a long text."""
    path = tmp_path_factory.mktemp("sql") / "news.duckdb"
    load(path, LoadPlan(frames={"runs": contract.rows_to_frame([_run_row(n) for n in (1, 2, 3)], contract.RUNS)}))
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE notes AS SELECT * FROM (VALUES (1, 'two\nlines'), (2, NULL), (3, repeat('x', 200))) "
                "AS t(id, note)")
    con.close()
    return path


def test_sql_c_prints_an_aligned_table_and_the_row_count(db, capsys):
    assert main(["sql", "--db", str(db), "-c", "SELECT run_id, status, documents_processed FROM runs ORDER BY run_id"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "run_id  status     documents_processed",
        "------  ---------  -------------------",
        "run-1   completed                    5",
        "run-2   noop                         0",
        "run-3   noop                         0",
        "(3 rows)",
    ]


def test_sql_c_runs_every_statement_in_order(db, capsys):
    assert main(["sql", "--db", str(db), "-c", "SELECT 1 AS a; SELECT count(*) AS runs FROM runs;"]) == 0
    assert capsys.readouterr().out.splitlines() == ["a", "-", "1", "(1 row)", "runs", "----", "   3", "(1 row)"]


def test_sql_c_shows_nulls_line_breaks_and_cuts_long_cells(db, capsys):
    assert main(["sql", "--db", str(db), "--max-width", "20", "-c", "SELECT id, note FROM notes ORDER BY id"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(None, 1)[1] for line in lines[2:5]] == ["two\\nlines", "NULL", "x" * 19 + "…"]


def test_sql_c_says_how_many_rows_it_did_not_print(db, capsys):
    assert main(["sql", "--db", str(db), "--max-rows", "5", "-c", "SELECT range AS n FROM range(2500)"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:7] == ["0", "1", "2", "3", "4"]
    assert lines[7] == "(2500 rows; the first 5 shown: add LIMIT, or --max-rows)"


def test_sql_c_error_is_one_line_and_exit_1(db, capsys):
    assert main(["sql", "--db", str(db), "-c", "SELECT * FROM no_such_table"]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith("newsetl: Catalog Error: Table with name no_such_table does not exist!")
    assert out.err.count("\n") == 1


def test_sql_c_parses_everything_before_running_anything(db, capsys):
    assert main(["sql", "--db", str(db), "-c", "SELECT 'ran' AS first; SELEC 2"]) == 1
    out = capsys.readouterr()
    assert "ran" not in out.out and "syntax error" in out.err


def test_sql_cannot_change_the_warehouse(db, capsys):
    assert main(["sql", "--db", str(db), "-c", "DELETE FROM runs"]) == 1
    assert "read-only" in capsys.readouterr().err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 3
    con.close()


def test_sql_without_a_warehouse_says_so(tmp_path, capsys):
    assert main(["sql", "--db", str(tmp_path / "absent.duckdb"), "-c", "SELECT 1"]) == 1
    assert capsys.readouterr().err == f"newsetl: no warehouse at {tmp_path / 'absent.duckdb'} (`newsetl run` creates it)\n"


def test_the_shell_reads_statements_from_stdin(db):
    script = ".tables\n.schema runs\nSELECT\n  count(*) AS n\nFROM runs;\n.quit\nSELECT 'after quit' AS x;\n"
    result = subprocess.run([str(BIN / "newsetl"), "sql", "--db", str(db)], input=script, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "newsetl>" not in out  # no prompts when stdin is not a terminal
    listing = out.split("runs (table):")[0].splitlines()  # .tables: header, rule, rows, count
    assert listing[0].split() == ["name", "kind", "description"] and listing[-1].endswith("rows)")
    tables = {line.split()[0]: line.split()[1] for line in listing[2:-1]}
    assert tables["runs"] == "table" and tables["notes"] == "table" and tables["who_said_what"] == "view"
    assert "runs (table): One row per ingest run" in out
    assert any(line.split()[:3] == ["run_id", "VARCHAR", "NOT"] for line in out.splitlines())
    assert "n\n-\n3\n(1 row)" in out
    assert "after quit" not in out


def test_the_shell_goes_on_after_an_error_and_runs_a_last_statement_without_semicolon(db):
    con = duckdb.connect(str(db), read_only=True)
    out, err = io.StringIO(), io.StringIO()
    try:
        code = repl(Shell(con, out, err), io.StringIO("SELECT * FROM nope;\n.schema nope\n.bogus\nSELECT 7 AS seven"),
                    interactive=False)
    finally:
        con.close()
    assert code == 1  # a script with a failed statement
    assert "Catalog Error" in err.getvalue() and "LINE 1: SELECT * FROM nope;" in err.getvalue()
    assert "no table or view named nope" in err.getvalue() and "unknown command '.bogus'" in err.getvalue()
    assert out.getvalue() == "seven\n-----\n    7\n(1 row)\n"


def test_sql_f_runs_a_file_and_names_a_missing_one(db, tmp_path, capsys):
    query = tmp_path / "runs.sql"
    query.write_text("-- how many runs\nSELECT count(*) AS runs FROM runs;\n")
    assert main(["sql", "--db", str(db), "-f", str(query)]) == 0
    assert capsys.readouterr().out.splitlines() == ["runs", "----", "   3", "(1 row)"]
    assert main(["sql", "--db", str(db), "-f", str(tmp_path / "missing.sql")]) == 1
    assert "cannot read" in capsys.readouterr().err

"""`newsetl sql`: statements on the warehouse, read-only, printed as aligned tables with a row count; the
shell reads statements until `;` and knows .tables, .schema and .quit."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

import contract
from cli import readonly
from cli.main import main
from cli.readonly import open_read_only
from cli.sql_shell import SEALED, Shell, repl
from tests.helpers.paths import BIN, ROOT
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


# --- The seal: no statement reads or writes a file other than the warehouse -------------------------------

SECRET = "sealed-shell-canary-7f3a"  # the content of a file the shell must never print


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with each file's hash: any file written, changed or removed
    shows up as a difference."""
    return {str(p.relative_to(folder)): (_digest(p) if p.is_file() else "folder") for p in sorted(folder.rglob("*"))}


@pytest.fixture
def sealed_site(db, tmp_path, monkeypatch):
    """A copy of the warehouse in its own folder (the working directory, so relative paths point there too),
    a secret file beside it and one in a sibling folder, a Parquet file, an EXPORT DATABASE folder to
    import and a `.tmp` folder where DuckDB would spill: everything a statement might aim at."""
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    copy = warehouse / "news.duckdb"
    shutil.copy(db, copy)
    (warehouse / "secret.txt").write_text(f"{SECRET}\n")
    (warehouse / "news.duckdb.tmp").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text(f"{SECRET}\n")
    with duckdb.connect() as scratch:  # made by an unsealed connection, to be read by the sealed one
        scratch.execute(f"COPY (SELECT '{SECRET}' AS a) TO '{elsewhere / 'data.parquet'}' (FORMAT parquet)")
        scratch.execute(f"CREATE TABLE t AS SELECT '{SECRET}' AS a; EXPORT DATABASE '{elsewhere / 'dump'}'")
    monkeypatch.chdir(warehouse)
    return {"db": copy, "dir": warehouse, "out": elsewhere, "secret": elsewhere / "secret.txt", "root": tmp_path}


# Each is refused. {db}: the warehouse (absolute path), {dir} its folder, {out} a sibling folder, {secret}
# a readable file there; `secret.txt` alone is the one beside the warehouse (the working directory).
REFUSED = [
    "COPY (SELECT 'x' AS a) TO '{db}' (FORMAT csv)",
    "COPY (SELECT 'x' AS a) TO '{db}.wal' (FORMAT csv)",
    "COPY (SELECT 'x' AS a) TO '{db}.tmp/spill.csv' (FORMAT csv)",
    "COPY (SELECT 'x' AS a) TO '{out}/a.csv' (FORMAT csv)",
    "COPY (SELECT 'x' AS a) TO '{out}/a.parquet' (FORMAT parquet)",
    "COPY (SELECT 'x' AS a) TO '{out}/a.json' (FORMAT json)",
    "COPY runs TO 'runs.csv'",
    "COPY (SELECT 1) TO '/dev/stdout'",
    "CREATE TEMP TABLE t (a VARCHAR); COPY t FROM '{secret}'",
    "EXPORT DATABASE '{out}/export'",
    "EXPORT DATABASE 'export'",
    "IMPORT DATABASE '{out}/dump'",
    "ATTACH '{out}/new.duckdb' AS fresh",
    "ATTACH 'new.duckdb' AS fresh",
    "ATTACH '{db}' AS again (READ_WRITE)",
    "ATTACH '{db}' AS again",
    "ATTACH '{db}.wal' AS wal",
    "ATTACH '{db}' AS lite (TYPE sqlite)",
    "DETACH news",
    "INSTALL httpfs",
    "LOAD httpfs",
    "LOAD '{out}/evil.duckdb_extension'",
    "SELECT content FROM read_text('{secret}')",
    "SELECT content FROM read_text('secret.txt')",
    "SELECT content FROM read_text('{dir}/../elsewhere/secret.txt')",
    "SELECT content FROM read_text('file://{secret}')",
    "SELECT content FROM read_blob('{secret}')",
    "SELECT content FROM read_blob('{db}')",
    "SELECT * FROM read_csv('{secret}')",
    "SELECT * FROM read_csv('secret.txt', header = false)",
    "SELECT * FROM '{secret}'",
    "SELECT * FROM read_parquet('{out}/data.parquet')",
    "SELECT * FROM parquet_metadata('{out}/data.parquet')",
    "SELECT * FROM read_json('{secret}')",
    "SELECT * FROM sniff_csv('{secret}')",
    "SELECT * FROM glob('{out}/*')",
    "SELECT * FROM glob('*')",
    "SELECT * FROM read_text('/dev/stdin')",
    "SET enable_external_access = true",
    "RESET enable_external_access",
    "SET lock_configuration = false",
    "RESET lock_configuration",
    "SET disabled_filesystems = ''",
    "SET allowed_directories = ['/']",
    "SET allowed_paths = ['{secret}']",
    "SET temp_directory = '{out}/spill'",
    "SET memory_limit = '1MB'",
    "SET home_directory = '{out}'",
    "SET secret_directory = '{out}/secrets'",
    "SET extension_directory = '{out}/extensions'",
    "SET allow_unsigned_extensions = true",
    "PRAGMA enable_profiling",
    "SET profiling_output = '{out}/profile.txt'",
    "PRAGMA log_query_path = '{out}/queries.log'",
    "CALL enable_logging(storage = 'file', storage_path = '{out}/logs')",
    "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')",
    "DELETE FROM runs",
    "CREATE TABLE main.evil AS SELECT 1",
]


@pytest.mark.parametrize("template", REFUSED)
def test_sql_refuses_every_statement_that_reaches_another_file(sealed_site, template, capsys):
    statement = template.format(**sealed_site)
    warehouse_before, tree_before = _digest(sealed_site["db"]), _tree(sealed_site["root"])
    assert main(["sql", "--db", str(sealed_site["db"]), "-c", statement]) == 1
    out = capsys.readouterr()
    assert out.err.startswith("newsetl: ") and out.err.count("\n") == 1, out.err
    assert SECRET not in out.out + out.err
    assert _digest(sealed_site["db"]) == warehouse_before
    assert _tree(sealed_site["root"]) == tree_before


# Allowed, because they touch nothing but memory: temporary tables, an in-memory view, a checkpoint of a
# read-only file (nothing to write), EXPLAIN ANALYZE, session variables.
HARMLESS = [
    "CREATE TEMP TABLE scratch AS SELECT * FROM runs; INSERT INTO scratch SELECT * FROM runs; "
    "SELECT count(*) AS n FROM scratch",
    "CREATE TEMP VIEW v AS SELECT 1 AS a; SELECT * FROM v",
    "CHECKPOINT",
    "VACUUM",
    "EXPLAIN ANALYZE SELECT count(*) FROM runs",
    "SET VARIABLE n = 2; SELECT getvariable('n') AS n",
    "LOAD parquet",
    "SELECT * FROM duckdb_settings() WHERE name = 'enable_external_access'",
]


@pytest.mark.parametrize("statement", HARMLESS)
def test_sql_runs_statements_that_touch_only_memory_and_writes_nothing(sealed_site, statement, capsys):
    warehouse_before, tree_before = _digest(sealed_site["db"]), _tree(sealed_site["root"])
    assert main(["sql", "--db", str(sealed_site["db"]), "-c", statement]) == 0, capsys.readouterr().err
    assert _digest(sealed_site["db"]) == warehouse_before
    assert _tree(sealed_site["root"]) == tree_before


def test_the_shell_is_sealed_too_and_knows_no_file_commands(sealed_site):
    """The interactive shell's statements and its dot commands: no `.read`, `.output`, `.open`, `.shell`."""
    script = (f".read {sealed_site['secret']}\n.output {sealed_site['out']}/o.txt\n.open {sealed_site['out']}/x.duckdb\n"
              f".shell touch {sealed_site['out']}/shell.txt\n"
              f"SELECT content FROM read_text('{sealed_site['secret']}');\n"
              f"COPY (SELECT 'x' AS a) TO '{sealed_site['db']}' (FORMAT csv);\nSELECT 7 AS seven;\n")
    tree_before = _tree(sealed_site["root"])
    con = open_read_only(sealed_site["db"])
    out, err = io.StringIO(), io.StringIO()
    try:
        code = repl(Shell(con, out, err), io.StringIO(script), interactive=False)
    finally:
        con.close()
    assert code == 1
    assert out.getvalue() == "seven\n-----\n    7\n(1 row)\n"
    for command in (".read", ".output", ".open", ".shell"):
        assert f"unknown command '{command} " in err.getvalue()
    assert err.getvalue().count("Error: Permission Error") == 2 and SECRET not in err.getvalue()
    assert _tree(sealed_site["root"]) == tree_before


def test_sql_never_spills_beside_the_warehouse(sealed_site, monkeypatch, capsys):
    """DuckDB spills what does not fit in memory to `<warehouse>.tmp/` by default, even on a read-only
    connection; the sealed one keeps it in memory and says so when memory runs out."""
    monkeypatch.setitem(readonly.OPEN_CONFIG, "memory_limit", "40MB")
    spill = sealed_site["dir"] / "news.duckdb.tmp"
    spill.rmdir()
    assert main(["sql", "--db", str(sealed_site["db"]), "-c", "CREATE TEMP TABLE big AS SELECT range AS i, "
                 "md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS s FROM range(3000000); "
                 "SELECT count(*) FROM (SELECT * FROM big ORDER BY s)"]) == 1
    assert capsys.readouterr().err.startswith("newsetl: Out of Memory Error")
    assert not spill.exists()


def test_a_refusal_by_the_seal_says_why(sealed_site, capsys):
    assert main(["sql", "--db", str(sealed_site["db"]), "-c", f"SELECT * FROM read_text('{sealed_site['secret']}')"]) == 1
    assert capsys.readouterr().err.endswith(f" {SEALED}\n")
    assert main(["sql", "--db", str(sealed_site["db"]), "-c", "SET enable_external_access = true"]) == 1
    assert capsys.readouterr().err.endswith(f" {SEALED}\n")
    assert main(["sql", "--db", str(sealed_site["db"]), "-c", "SELECT * FROM no_such_table"]) == 1
    assert SEALED not in capsys.readouterr().err  # an ordinary SQL error is not blamed on the seal

"""`newsetl sql`: where the statements come from (-c, -f FILE, or the shell), and a file that cannot be read in
one line. (What the statements do and print is `tests/cli/test_sql_shell.py`'s.)"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cli.main import build_parser, main


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "news.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE runs AS SELECT * FROM (VALUES ('r1'), ('r2'), ('r3')) AS t(run_id)")
    return path


def test_sql_f_runs_a_file_and_names_a_missing_one(db, tmp_path, capsys):
    query = tmp_path / "runs.sql"
    query.write_text("-- how many runs\nSELECT count(*) AS runs FROM runs;\n")
    assert main(["sql", "--db", str(db), "-f", str(query)]) == 0
    assert capsys.readouterr().out.splitlines() == ["runs", "----", "   3", "(1 row)"]
    assert main(["sql", "--db", str(db), "-f", str(tmp_path / "missing.sql")]) == 1
    assert capsys.readouterr().err == f"newsetl: cannot read {tmp_path / 'missing.sql'}: No such file or directory\n"


def test_a_file_that_is_not_utf8_text_is_one_line(db, tmp_path, capsys):
    query = tmp_path / "latin1.sql"
    query.write_bytes("SELECT 'café' AS name;\n".encode("latin-1"))
    assert main(["sql", "--db", str(db), "-f", str(query)]) == 1
    assert capsys.readouterr().err == (f"newsetl: cannot read {query}: not UTF-8 text (invalid continuation byte "
                                       "at byte 11)\n")


def test_c_runs_its_statements_and_c_and_f_are_not_taken_together(db, tmp_path, capsys):
    assert main(["sql", "--db", str(db), "-c", "SELECT run_id FROM runs ORDER BY run_id DESC LIMIT 1"]) == 0
    assert capsys.readouterr().out.splitlines() == ["run_id", "------", "r3", "(1 row)"]
    with pytest.raises(SystemExit) as usage:
        build_parser().parse_args(["sql", "-c", "SELECT 1", "-f", str(tmp_path / "q.sql")])
    assert usage.value.code == 2
    assert "argument -f: not allowed with argument -c" in capsys.readouterr().err

"""`newsetl export`: what the command says, in one line when it cannot export, and a line per partition written
or removed, and per note, when it can. (The writer itself is `tests/warehouse/test_export_writer.py`'s.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main as cli_main
from warehouse.export import MANIFEST_NAME
from warehouse.loader import LoadPlan, load


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "news.duckdb"
    load(path, LoadPlan(frames={}))  # an empty warehouse of the contract
    return path


def test_cli_says_in_one_line_when_there_is_no_warehouse(tmp_path, capsys):
    assert cli_main(["export", "--db", str(tmp_path / "none.duckdb"), "--parquet", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsetl: no warehouse at") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_file_where_the_folder_should_be_is_one_line(db, tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    assert cli_main(["export", "--db", str(db), "--parquet", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == f"newsetl: {tmp_path / 'out'} is not a folder\n"


def test_the_first_export_names_every_partition_it_writes(db, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli_main(["export", "--db", str(db), "--parquet", str(out)]) == 0
    [summary, *lines] = capsys.readouterr().out.splitlines()
    assert summary.startswith(f"newsetl: exported 0 rows of run (none completed) to {out} (")
    written = [line.split()[1] for line in lines if line.startswith("  wrote   ")]
    assert written and all((out / path).is_file() for path in written)
    assert f"({len(written)} partitions written, 0 kept, 0 removed;" in summary


def test_the_cli_ignores_a_forged_manifest_entry_with_a_note(db, tmp_path, capsys):
    out, victim = tmp_path / "out", tmp_path / "sibling" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("not the export's")
    assert cli_main(["export", "--db", str(db), "--parquet", str(out)]) == 0
    manifest = json.loads((out / MANIFEST_NAME).read_text())  # as a careless or hostile hand would edit it
    manifest["tables"]["stories"]["partitions"].append({"path": "../sibling/victim.txt", "month": None, "rows": 1,
                                                       "hash": "x"})
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    capsys.readouterr()
    assert cli_main(["export", "--db", str(db), "--parquet", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "0 removed" in printed and "  removed" not in printed
    assert "note    ignored '../sibling/victim.txt' listed in _manifest.json" in printed
    assert victim.read_text() == "not the export's"

"""The warehouse opened for reading: read-only and sealed (no file but the warehouse can be read, and none
written but inside an export's folder), at once, or a one-line reason why not."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from cli.readonly import (WarehouseUnreadable, _writer, first_line, has_table, is_damage, open_read_only, reading)
from flows.lock import WarehouseLock

SECRET = "readonly-canary-51c2"


@pytest.fixture
def site(tmp_path) -> dict[str, Path]:
    """A warehouse with a `runs` table, and a secret file in a folder beside it."""
    db = tmp_path / "wh" / "news.duckdb"
    db.parent.mkdir()
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE runs AS SELECT * FROM (VALUES ('r1'), ('r2'), ('r3')) AS t(run_id)")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text(f"{SECRET}\n")
    return {"db": db, "out": elsewhere, "secret": elsewhere / "secret.txt", "root": tmp_path}


def test_status_and_report_connections_are_sealed(site):
    con = open_read_only(site["db"])
    try:
        with pytest.raises(duckdb.Error, match="disabled"):
            con.execute(f"SELECT content FROM read_text('{site['secret']}')")
        with pytest.raises(duckdb.Error):
            con.execute(f"COPY runs TO '{site['out'] / 'runs.csv'}' (FORMAT csv)")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")  # the seal cannot be undone
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 3
        assert has_table(con, "runs") and not has_table(con, "stories")
    finally:
        con.close()
    assert sorted(p.name for p in site["out"].iterdir()) == ["secret.txt"]


def test_export_connection_writes_only_inside_its_folder(site):
    """`newsetl export` needs DuckDB to write Parquet: into its own folder, and nowhere else."""
    export_dir = site["root"] / "export"
    export_dir.mkdir()
    con = open_read_only(site["db"], write_into=export_dir)
    try:
        con.execute(f"COPY runs TO '{export_dir / 'runs.parquet'}' (FORMAT parquet)")
        for statement in (f"COPY runs TO '{site['out'] / 'runs.parquet'}' (FORMAT parquet)",
                          f"COPY runs TO '{export_dir}/../runs.parquet' (FORMAT parquet)",
                          f"COPY runs TO '{export_dir}x/runs.parquet' (FORMAT parquet)",
                          f"SELECT content FROM read_text('{site['secret']}')",
                          "SET allowed_directories = ['/']", "SET enable_external_access = true"):
            with pytest.raises(duckdb.Error):
                con.execute(statement)
    finally:
        con.close()
    assert sorted(p.name for p in export_dir.iterdir()) == ["runs.parquet"]
    assert not (site["out"] / "runs.parquet").exists() and not (site["root"] / "runs.parquet").exists()


def test_a_reader_cannot_change_the_warehouse_and_closes_it_after(site):
    with reading(site["db"]) as con:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM runs")
    with duckdb.connect(str(site["db"])) as writer:  # closed: a run can take the file at once
        assert writer.execute("SELECT count(*) FROM runs").fetchone()[0] == 3


def test_no_warehouse_and_a_folder_are_one_line_each(tmp_path):
    with pytest.raises(WarehouseUnreadable) as missing:
        open_read_only(tmp_path / "absent.duckdb")
    assert str(missing.value) == f"no warehouse at {tmp_path / 'absent.duckdb'} (`newsetl run` creates it)"
    with pytest.raises(WarehouseUnreadable, match="is a folder, not a warehouse file"):
        open_read_only(tmp_path)
    (tmp_path / "notes.duckdb").write_text("SELECT 'not a database';\n")
    with pytest.raises(WarehouseUnreadable, match=r"^cannot open .*notes\.duckdb: ") as text:
        open_read_only(tmp_path / "notes.duckdb")
    assert "\n" not in str(text.value)


def test_duckdbs_message_is_kept_to_its_first_part_on_one_line():
    with pytest.raises(duckdb.Error) as error:
        duckdb.connect().execute("SELECT * FROM nope")
    assert first_line(error.value).startswith("Catalog Error: Table with name nope does not exist!")
    assert "LINE 1" not in first_line(error.value) and "\n" not in first_line(error.value)
    assert is_damage(duckdb.IOException("Corrupt database file: block checksum mismatch"))
    assert not is_damage(error.value)


def test_the_writer_is_named_by_its_run_when_the_lock_file_agrees(tmp_path):
    db = tmp_path / "news.duckdb"
    held = duckdb.IOException(f"Could not set lock on file \"{db}\": Conflicting lock is held in python (PID {os.getpid()})")
    assert _writer(db, held) == f"another process (PID {os.getpid()})"
    with WarehouseLock(db, "20260105T090000Z-r0a1b"):
        assert _writer(db, held) == f"run 20260105T090000Z-r0a1b (PID {os.getpid()})"
    assert _writer(db, duckdb.IOException("Could not set lock on file")) == "another process"

"""A full disk under the warehouse (a small tmpfs; real CLI): whatever it stops, the user reads one line and
no traceback; a run whose load failed leaves the warehouse as it was; a run whose load committed but whose
validation report could not be written says so in a note instead of the report's path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import run_cli
from tests.helpers.scratch import loaded_copy
from tests.helpers.paths import SEEDS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
FREE_KIB_TRIED = (0, 150, 300, 450)


@pytest.fixture()
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32M", "tmpfs", str(mount)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.strip() or 'mount failed'}): needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _leave_free(disk: Path, kib: int) -> None:
    """Fill the disk, then give back `kib` KiB."""
    filler = disk / "filler"
    with open(filler, "ab") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - kib * 1024))


def _articles(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def test_a_full_disk_is_one_line_whatever_it_stops(small_disk, tmp_path, scratch_warehouse):
    seeds, db = loaded_copy(scratch_warehouse, tmp_path, small_disk / "news.duckdb")
    args = ["run", "--seeds", str(seeds), "--db", str(db), "--no-progress"]
    outcomes = set()
    for kib in FREE_KIB_TRIED:  # no-op runs: each writes its runs row, then the validation report
        _leave_free(small_disk, kib)
        result = run_cli(args, tmp_path)
        assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
        if result.returncode == 1:
            assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr, result.stderr
            outcomes.add("load failed")
        else:
            assert result.returncode == 0, result.stderr
            if "validation report not written: OSError: No space left on device" in result.stdout:
                assert "validation report file://" not in result.stdout
                outcomes.add("report failed")
    assert outcomes == {"load failed", "report failed"}, outcomes  # both moments were reached
    _leave_free(small_disk, 0)
    edited = sorted(seeds.glob("*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA line added to make the run load.\n", encoding="utf-8")
    result = run_cli(args, tmp_path)  # a full run through Prefect: its load fails
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "failed" in result.stderr and "No space left on device" in result.stderr
    (small_disk / "filler").unlink()
    assert _articles(db) == len(list(SEEDS.glob("*.txt")))  # what was committed before is all there

import os
from pathlib import Path

from flows.sources import RawFile, discover, read_seed
from transforms.article import Rejected


def test_discover_recurses_sorts_and_skips_dotfiles(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a file with spaces & 'quotes'.txt").write_text("a")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("c")
    names = [s.seed_name for s in discover(tmp_path).files]
    assert names == ["b.txt", "sub/a file with spaces & 'quotes'.txt"]


def test_symlink_outside_seeds_is_refused(tmp_path):
    seeds, outside = tmp_path / "seeds", tmp_path / "secret.txt"
    seeds.mkdir()
    outside.write_text("password")
    os.symlink(outside, seeds / "link.txt")
    os.symlink(seeds / "real.txt", seeds / "inner.txt")
    (seeds / "real.txt").write_text("Inside the folder.")
    results = {s.seed_name: read_seed(s, seeds, 1000) for s in discover(seeds).files}
    assert isinstance(results["link.txt"], Rejected) and results["link.txt"].check == "symlink_outside"
    assert isinstance(results["inner.txt"], RawFile)


def test_size_cap(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 101)
    [seed] = discover(tmp_path).files
    assert read_seed(seed, tmp_path, 100).check == "too_large"
    assert isinstance(read_seed(seed, tmp_path, 101), RawFile)


def test_a_file_that_changes_while_it_is_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "live.txt"
    path.write_text("First version of the story.")
    [seed] = discover(tmp_path).files
    real_open = open

    def open_and_append(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        with real_open(file, "a") as writer:  # another process appends while we read
            writer.write(" Update: more text.")
        return handle

    monkeypatch.setattr("builtins.open", open_and_append)
    result = read_seed(seed, tmp_path, 10_000)
    assert isinstance(result, Rejected) and result.check == "changed_while_reading"


def test_a_fifo_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    [seed] = discover(tmp_path).files
    assert read_seed(seed, tmp_path, 100).check == "not_a_file"


def test_code_version_covers_every_package_that_shapes_output(tmp_path):
    import shutil
    from pathlib import Path

    from flows.sources import CODE_PACKAGES, code_version

    root = Path(__file__).resolve().parents[2]
    for package in CODE_PACKAGES:
        shutil.copytree(root / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "gx"))
    before = code_version("no-such-model", tmp_path)
    assert before == code_version("no-such-model", tmp_path)
    for changed in ("flows/stages.py", "contract/__init__.py", "expectations/checks.py", "transforms/dates.py",
                    "transforms/extract/models/speaker_ranker.json"):
        path = tmp_path / changed
        original = path.read_text()
        path.write_text(original + "\n# changed\n")
        assert code_version("no-such-model", tmp_path) != before, changed
        path.write_text(original)
    assert code_version("no-such-model", tmp_path) == before


def test_a_name_that_is_not_utf8_is_kept_as_escaped_text_and_still_read(tmp_path):
    with open(os.fsencode(tmp_path) + b"/caf\xe9 menu.txt", "wb") as handle:
        handle.write(b"The cafe opened on Monday.")
    [seed] = discover(tmp_path).files
    assert seed.seed_name == "caf\\xe9 menu.txt"
    seed.seed_name.encode("utf-8")  # storable: no surrogate escapes left
    raw = read_seed(seed, tmp_path, 1000)
    assert isinstance(raw, RawFile) and raw.data == b"The cafe opened on Monday."


def test_the_warehouse_and_what_a_run_writes_beside_it_are_never_inputs(tmp_path):
    from flows.settings import Settings

    (tmp_path / "story.txt").write_text("A story.")
    settings = Settings(seeds_dir=tmp_path, db_path=tmp_path / "out" / "news.duckdb")
    (tmp_path / "out").mkdir()
    for name in ("news.duckdb", "news.duckdb.wal", "news.duckdb.lock"):
        (tmp_path / "out" / name).write_bytes(b"\x00DUCK")
    (tmp_path / "out" / "news.duckdb.tmp").mkdir()
    (tmp_path / "out" / "news.duckdb.tmp" / "spill.bin").write_bytes(b"\x00")
    (tmp_path / "out" / "news_validation").mkdir()
    (tmp_path / "out" / "news_validation" / "index.html").write_text("<html></html>")
    (tmp_path / "out" / "notes.txt").write_text("Someone's notes beside the warehouse are input.")
    names = [s.seed_name for s in discover(tmp_path, settings.outputs()).files]
    assert sorted(names) == ["out/notes.txt", "story.txt"]


# --- what the scan leaves out, counted; what it cannot list, named ---------------------------------------


def _articles(folder, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"The harbour board met on Tuesday about {name}.")


def test_skips_by_design_are_counted(tmp_path):
    from flows.settings import Settings

    _articles(tmp_path, "a.txt", "sub/b.txt", ".hidden/c.txt", "elsewhere/d.txt")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "sub" / ".swp").write_text("x")
    os.symlink(tmp_path / "elsewhere", tmp_path / "linked")
    os.symlink(tmp_path / "a.txt", tmp_path / "a-link.txt")  # a link to a file is read (and checked) as a file
    settings = Settings(seeds_dir=tmp_path, db_path=tmp_path / "news.duckdb")
    (tmp_path / "news.duckdb").write_bytes(b"\x00DUCK")
    found = discover(tmp_path, settings.outputs())
    assert [s.seed_name for s in found.files] == ["a-link.txt", "a.txt", "elsewhere/d.txt", "sub/b.txt"]
    assert found.skipped == {"dot_files": 2, "dot_folders": 1, "folder_links": 1, "newsetl_outputs": 1}
    assert found.entries_skipped == 5 and found.unreadable == []


def test_a_report_and_an_export_written_inside_the_seeds_folder_are_not_read(tmp_path):
    import duckdb

    from tests.helpers.output_guard import story_warehouse
    from warehouse.export_writer import export_parquet
    from reports.story_report_writer import write_story_report

    seeds = tmp_path / "seeds"
    _articles(seeds, "one.txt", "desk/two.txt")
    db = story_warehouse(tmp_path / "news.duckdb", {"s-one": ["a1"], "s-two": ["a2"]})
    with duckdb.connect(str(db), read_only=True) as con:
        write_story_report(con, seeds / "report")
        export_parquet(con, seeds / "desk" / "parquet")
    assert len(list((seeds / "report").rglob("*.html"))) == 5 and list((seeds / "desk" / "parquet").rglob("*.parquet"))
    found = discover(seeds)
    assert [s.seed_name for s in found.files] == ["one.txt", "desk/two.txt"]
    assert found.skipped["newsetl_outputs"] == 2


def test_a_report_written_into_the_seeds_folder_itself_skips_only_its_own_files(tmp_path):
    import duckdb

    from tests.helpers.output_guard import story_warehouse
    from reports.story_report_writer import write_story_report

    seeds = tmp_path / "seeds"
    _articles(seeds, "one.txt", "stories/notes.txt")
    db = story_warehouse(tmp_path / "news.duckdb", {"s-one": ["a1"]})
    with duckdb.connect(str(db), read_only=True) as con:
        written = write_story_report(con, seeds)
    found = discover(seeds)
    assert [s.seed_name for s in found.files] == ["one.txt", "stories/notes.txt"]
    assert found.skipped["newsetl_outputs"] == len(written["pages"])


def test_a_folder_that_cannot_be_listed_is_named_and_the_rest_found(tmp_path, monkeypatch):
    _articles(tmp_path, "a.txt", "locked/b.txt", "locked/deeper/c.txt", "open/d.txt")
    real_scandir = os.scandir

    def refusing(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    found = discover(tmp_path)
    assert [s.seed_name for s in found.files] == ["a.txt", "open/d.txt"]
    assert [(u.folder, u.reason) for u in found.unreadable] == [("locked", "PermissionError: Permission denied")]


def test_a_seeds_folder_that_cannot_be_listed_stops_the_scan(tmp_path, monkeypatch):
    import pytest

    from flows.sources import SeedsUnreadable

    def refusing(path="."):
        raise PermissionError(13, "Permission denied", os.fspath(path))

    monkeypatch.setattr(os, "scandir", refusing)
    with pytest.raises(SeedsUnreadable, match="cannot list the seeds folder .*: PermissionError: Permission denied"):
        discover(tmp_path)


def _without_permission_override() -> list[str]:
    """A command prefix that runs a process as root without the capabilities that let root ignore file
    permissions (`setpriv`, util-linux): `chmod 000` then stops it as it stops any user. [] when unavailable."""
    import shutil
    import subprocess

    if shutil.which("setpriv") is None:
        return []
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else []


def test_the_real_scan_names_a_folder_chmod_000_made_unreadable(tmp_path):
    import json
    import subprocess
    import sys

    import pytest

    prefix = [] if os.geteuid() != 0 else _without_permission_override()
    if os.geteuid() == 0 and not prefix:
        pytest.skip("running as root and setpriv cannot drop CAP_DAC_OVERRIDE here")
    _articles(tmp_path, "a.txt", "locked/b.txt")
    (tmp_path / "locked").chmod(0)
    try:
        script = ("import json, sys; from flows.sources import discover; d = discover(sys.argv[1]); "
                  "print(json.dumps([[s.seed_name for s in d.files], [[u.folder, u.reason] for u in d.unreadable]]))")
        result = subprocess.run([*prefix, sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                                cwd=Path(__file__).resolve().parents[2], timeout=120)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [["a.txt"], [["locked", "PermissionError: Permission denied"]]]

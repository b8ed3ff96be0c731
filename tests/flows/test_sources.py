import os

from flows.sources import RawFile, discover, read_seed
from transforms.decode import Rejected


def test_discover_recurses_sorts_and_skips_dotfiles(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a file with spaces & 'quotes'.txt").write_text("a")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("c")
    names = [s.seed_name for s in discover(tmp_path)]
    assert names == ["b.txt", "sub/a file with spaces & 'quotes'.txt"]


def test_symlink_outside_seeds_is_refused(tmp_path):
    seeds, outside = tmp_path / "seeds", tmp_path / "secret.txt"
    seeds.mkdir()
    outside.write_text("password")
    os.symlink(outside, seeds / "link.txt")
    os.symlink(seeds / "real.txt", seeds / "inner.txt")
    (seeds / "real.txt").write_text("Inside the folder.")
    results = {s.seed_name: read_seed(s, seeds, 1000) for s in discover(seeds)}
    assert isinstance(results["link.txt"], Rejected) and results["link.txt"].check == "symlink_outside"
    assert isinstance(results["inner.txt"], RawFile)


def test_size_cap(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 101)
    [seed] = discover(tmp_path)
    assert read_seed(seed, tmp_path, 100).check == "too_large"
    assert isinstance(read_seed(seed, tmp_path, 101), RawFile)


def test_a_file_that_changes_while_it_is_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "live.txt"
    path.write_text("First version of the story.")
    [seed] = discover(tmp_path)
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
    [seed] = discover(tmp_path)
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
    for changed in ("flows/stages.py", "contract/__init__.py", "expectations/checks.py", "transforms/dates.py"):
        path = tmp_path / changed
        original = path.read_text()
        path.write_text(original + "\n# changed\n")
        assert code_version("no-such-model", tmp_path) != before, changed
        path.write_text(original)
    assert code_version("no-such-model", tmp_path) == before


def test_batches_are_equal_shares_for_the_workers():
    from flows.ingest import _batches

    assert [len(b) for b in _batches(list(range(84)), 32, 2)] == [21, 21, 21, 21]
    assert [len(b) for b in _batches(list(range(5)), 32, 2)] == [3, 2]
    assert [len(b) for b in _batches(list(range(5)), 32, 1)] == [5]
    assert [len(b) for b in _batches(list(range(3)), 1, 4)] == [1, 1, 1]
    assert _batches([], 32, 2) == []
    assert [x for b in _batches(list(range(100)), 7, 3) for x in b] == list(range(100))


def test_worker_processes_are_started_only_for_enough_documents():
    from flows.ingest import worker_count

    assert worker_count(1, 2, 24) == 1
    assert worker_count(47, 2, 24) == 1
    assert worker_count(48, 2, 24) == 2
    assert worker_count(1000, 2, 24) == 2
    assert worker_count(5, 2, 1) == 2


def test_batches_left_by_a_dead_worker_are_extracted_in_the_flow_process(monkeypatch):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool
    from contextlib import contextmanager

    import flows.ingest as ingest

    done = []

    def fake_process_batch(batch, model, run_id, ingested_at):
        done.append(batch)
        return {"articles": batch}, []

    class DyingPool:
        """Runs the first batch submitted, then dies: every later batch fails as a dead pool's would."""

        def __init__(self) -> None:
            self.submitted = 0

        def submit(self, function, batch, *rest):
            future = Future()
            if self.submitted == 0:
                future.set_result(function(batch, None, None, None))
            else:
                future.set_exception(BrokenProcessPool("worker died"))
            self.submitted += 1
            return future

    @contextmanager
    def dying_workers(workers, model_name):
        yield DyingPool()

    monkeypatch.setattr(ingest, "batch_workers", dying_workers)
    monkeypatch.setattr(ingest.stages, "process_batch", fake_process_batch)
    monkeypatch.setattr(ingest, "concat_frames", lambda parts: [p["articles"] for p in parts])
    monkeypatch.setattr(ingest, "get_run_logger", lambda: __import__("logging").getLogger("test"))
    frames, rejected = ingest.extract_task.fn([[1, 2], [3], [4]], "m", "r", None, 2, False)
    assert frames == [[1, 2], [3], [4]] and rejected == [] and done == [[1, 2], [3], [4]]


def test_a_name_that_is_not_utf8_is_kept_as_escaped_text_and_still_read(tmp_path):
    with open(os.fsencode(tmp_path) + b"/caf\xe9 menu.txt", "wb") as handle:
        handle.write(b"The cafe opened on Monday.")
    [seed] = discover(tmp_path)
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
    names = [s.seed_name for s in discover(tmp_path, settings.outputs())]
    assert sorted(names) == ["out/notes.txt", "story.txt"]

"""A corpus of hostile and broken inputs through the real CLI: the run finishes, every bad file is
quarantined with its reason, every good file loads, and files seen = loaded + quarantined."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import random
import zipfile

import duckdb
import pytest

from tests.conftest import SEEDS, run_cli

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ARTICLE = ("Officials in Lowtown said on Tuesday that the river bridge would reopen next month after repairs. "
           "The mayor, Elena Marsh, told reporters that engineers had found cracks in two pillars in March. "
           "“We will not take risks with people’s lives,” she said. Traders on both banks said the closure had "
           "cost them customers, and the council promised a fund to help shops that lost income.\n")
RANDOM = random.Random(7)
BILLION_LAUGHS = ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                  + "".join(f"<!ENTITY lol{i} \"{('&lol' + str(i - 1) + ';') * 10 if i > 1 else '&lol;' * 10}\">"
                            for i in range(1, 10))
                  + "]><html><body><p>&lol9;</p><p>" + ARTICLE + "</p></body></html>")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", b"0" * 5_000_000)
    return buffer.getvalue()


# name -> (bytes, expected quarantine check)
BAD: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty"),
    "whitespace only.txt": (b"   \n\t\n   \n", "empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n" + RANDOM.randbytes(2000), "binary"),
    "noise.html": (RANDOM.randbytes(4000), "binary"),
    "archive.txt": (gzip.compress(ARTICLE.encode() * 50), "binary"),
    "bomb.txt": (_zip_bomb(), "binary"),
    "packed.html": (lzma.compress(ARTICLE.encode()), "binary"),
    "packed2.txt": (b"BZh" + b"\x00" + bz2.compress(ARTICLE.encode())[4:], "binary"),
    "program.txt": (b"\x7fELF\x02\x01\x01" + RANDOM.randbytes(500), "binary"),
    "windows.txt": (b"MZ\x90\x00\x03\x00\x00\x00" + RANDOM.randbytes(500), "binary"),
    "report.txt": (b"%PDF-1.7\n" + RANDOM.randbytes(800), "binary"),
    "photo.html": (b"\xff\xd8\xff\xe0" + RANDOM.randbytes(800), "binary"),
    "database.txt": (b"SQLite format 3\x00" + RANDOM.randbytes(800), "binary"),
    "nul bytes.txt": (ARTICLE.encode().replace(b" ", b"\x00"), "binary"),
    "controls.txt": ("".join(chr(RANDOM.randrange(1, 8)) + "ab" for _ in range(600)).encode(), "binary"),
    "broken utf16.txt": (b"\xff\xfe" + "An article".encode("utf-16-le") + b"\x00\xd8", "decode"),
    "one huge line.txt": (("word " * 30_000).encode(), "line_too_long"),
    "too big.txt": (ARTICLE.encode() * 1200, "too_large"),
    "only clutter.txt": (b"Home | World | Sports | Weather\nSponsored by Acme\nSubscribe to our newsletter\n"
                         b"https://example.com/share\n", "no_article_text"),
    "no text.html": (b"<html><head><title>x</title><script>var a = 1;</script></head><body><nav>Home</nav>"
                     b"</body></html>", "no_article_text"),
}
# name -> bytes; each must load.
GOOD: dict[str, bytes] = {
    "utf16 article.txt": ARTICLE.replace("Lowtown", "Hilltown").encode("utf-16"),
    "cp1252 article.txt": ARTICLE.replace("Lowtown", "Rivertown").encode("cp1252"),
    "stray byte.txt": ARTICLE.replace("Lowtown", "Lakeside").encode() .replace(b"repairs.", b"repairs.\xff"),
    "sql 'quotes' \"here\".txt": (ARTICLE + "The sign read: Robert'); DROP TABLE articles;-- and \"quoted\" text.\n"
                                  ).encode(),
    "ünïcödé náme.txt": ARTICLE.replace("Lowtown", "Ångström").encode(),
    "dots..in..name.txt": ARTICLE.replace("Lowtown", "Dotville").encode(),
    "scripts.html": ("<html><head><style>body{color:red}</style><script>alert('x')</script></head><body>"
                     "<iframe src='https://ads.example.com'></iframe><article><h1>Bridge to reopen</h1><p>"
                     + ARTICLE + "</p><script>track()</script></article></body></html>").encode(),
    "nested.html": ("<html><body>" + "<div>" * 600 + "<p>" + ARTICLE.replace("Lowtown", "Deepdale") + "</p>"
                    + "</div>" * 600 + "</body></html>").encode(),
    "deep.html": ("<html><body>" + "<div>" * 3000 + "<p>" + ARTICLE.replace("Lowtown", "Abyssdale") + "</p>"
                  + "</div>" * 3000 + "</body></html>").encode(),
    "entities.html": BILLION_LAUGHS.encode(),
    "folder.txt/inner.txt": ARTICLE.replace("Lowtown", "Innertown").encode(),
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    seeds.mkdir()
    for name, data in {**{n: d for n, (d, _) in BAD.items()}, **GOOD}.items():
        path = seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (seeds / seed.name).write_bytes(seed.read_bytes())
    (root / "secret.txt").write_text(ARTICLE)
    os.symlink(root / "secret.txt", seeds / "escape.txt")
    os.mkfifo(seeds / "pipe.txt")
    db = root / "news.duckdb"
    result = run_cli(["run", "--seeds", str(seeds), "--db", str(db), "--no-progress"], root,
                     env={"NEWSETL_MAX_FILE_BYTES": "200000"})
    return result, db


def test_run_finishes_and_counts_add_up(hostile_run):
    result, db = hostile_run
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(db), read_only=True)
    seen, loaded, quarantined = con.execute(
        "SELECT files_seen, files_loaded, files_quarantined FROM runs").fetchone()
    expected_files = len(BAD) + len(GOOD) + 2 + 2  # + two seeds, the symlink and the pipe
    assert seen == expected_files and seen == loaded + quarantined
    assert quarantined == len(BAD) + 2


def test_each_bad_file_is_quarantined_with_its_reason(hostile_run):
    _, db = hostile_run
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(con.execute("SELECT record_key, check_name FROM quarantine WHERE table_name = 'files'").fetchall())
    reasons = dict(con.execute("SELECT record_key, reason FROM quarantine WHERE table_name = 'files'").fetchall())
    expected = {name: check for name, (_, check) in BAD.items()}
    expected.update({"escape.txt": "symlink_outside", "pipe.txt": "not_a_file"})
    assert rows == expected
    assert all(len(reasons[name]) > 10 for name in expected)


def test_every_good_file_loads_intact(hostile_run):
    _, db = hostile_run
    con = duckdb.connect(str(db), read_only=True)
    bodies = dict(con.execute("SELECT seed_name, body FROM articles").fetchall())
    assert set(GOOD) <= set(bodies)
    assert "DROP TABLE articles;--" in bodies["sql 'quotes' \"here\".txt"]
    assert "Ångström" in bodies["ünïcödé náme.txt"]
    assert "Hilltown" in bodies["utf16 article.txt"]
    assert "Traders on both banks" in bodies["cp1252 article.txt"]
    assert "alert(" not in bodies["scripts.html"] and "track()" not in bodies["scripts.html"]
    assert "lollol" not in bodies["entities.html"]  # entities are never expanded
    assert "Deepdale" in bodies["nested.html"]
    assert bodies["deep.html"] == ARTICLE.replace("Lowtown", "Abyssdale").strip()  # flattened, text kept
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(GOOD) + 2

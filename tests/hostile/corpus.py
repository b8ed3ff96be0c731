"""The hostile corpus, generated (no binaries committed): files nobody should have to clean up by hand,
each with the outcome a run must give it. `python -m tests.hostile.corpus DIR` writes it into DIR.

An outcome is `loaded`, or the quarantine check that names why the file is not an article.
"""

from __future__ import annotations

import base64
import bz2
import gzip
import io
import lzma
import os
import random
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

LOADED = "loaded"
MAX_FILE_BYTES = 2_000_000  # the size cap a run over this corpus sets (NEWSETL_MAX_FILE_BYTES)
TINY_FILES = 3000
ARTICLE = ("Officials in Lowtown said on Tuesday that the river bridge would reopen next month after repairs. "
           "The mayor, Elena Marsh, told reporters that engineers had found cracks in two pillars in March. "
           "“We will not take risks with people’s lives,” she said. Traders on both banks said the closure had "
           "cost them customers, and the council promised a fund to help shops that lost income.\n")
FLOOD = ("The flood barrier on the Tamsin river failed on Monday, March 4, 2024, flooding 300 homes in Brackford, "
         "the county council said. Council leader John Pell said the barrier had been inspected in January. "
         "“We are investigating why it failed,” Pell said on Tuesday. Rescuers said 40 people were taken to safety.\n")


@dataclass(frozen=True)
class Case:
    name: str | bytes  # bytes: a name that is not UTF-8
    data: bytes
    outcome: str
    why: str

    @property
    def seed_name(self) -> str:
        """The name the warehouse stores (undecodable bytes escaped, as `flows.sources.readable_name` does)."""
        return self.name if isinstance(self.name, str) else self.name.decode("utf-8", errors="backslashreplace")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", b"0" * 5_000_000)
    return buffer.getvalue()


def _billion_laughs() -> bytes:
    entities = "".join(f"<!ENTITY lol{i} \"{('&lol' + str(i - 1) + ';') * 10 if i > 1 else '&lol;' * 10}\">"
                       for i in range(1, 10))
    return (f"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">{entities}]><html><body><p>&lol9;</p>"
            f"<p>{ARTICLE}</p></body></html>").encode()


def _deep_html(levels: int) -> bytes:
    return ("<html><head><title>Deep page</title></head><body>" + "<div>" * levels + "<p>"
            + ARTICLE.replace("Lowtown", "Deepdale") * 2 + "</p>" + "</div>" * levels + "</body></html>").encode()


MARKUP_STORY = ("A browser update stopped drawing shop pages in which a <style> element sits inside a <div>, its "
                "makers said on Wednesday.\nThe parser read the closing </div> tag as part of the stylesheet, the "
                "engineers found.\nOld <table> layouts were hit hardest, traders in Lowtown said.\nA fix followed on "
                "Thursday and the company promised a review of its release tests.\n")
LONG_PARAGRAPH = ("The council went through the bridge accounts line by line, and the engineers answered every "
                  "question about the pillars. ") * 45


def _cesu8(text: str) -> bytes:
    """UTF-8, except that a character beyond the BMP is written as two 3-byte surrogates (CESU-8, as some Java
    and MySQL exports write it)."""
    parts = []
    for ch in text:
        units = ch.encode("utf-16-be")
        parts += [chr(int.from_bytes(units[i:i + 2], "big")).encode("utf-8", "surrogatepass")
                  for i in range(0, len(units), 2)]
    return b"".join(parts)


def _base64_lines(size: int) -> bytes:
    payload = base64.b64encode(random.Random(11).randbytes(size))
    return b"\n".join(payload[i:i + 76] for i in range(0, len(payload), 76)) + b"\n"


def cases() -> list[Case]:
    rng = random.Random(7)
    return [
        # not articles: each quarantined with its reason
        Case("empty.txt", b"", "empty", "no bytes"),
        Case("whitespace only.txt", b"   \n\t\n   \n", "empty", "blank"),
        Case("image.txt", b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000), "binary", "a PNG named .txt"),
        Case("noise.html", rng.randbytes(4000), "binary", "random bytes"),
        Case("archive.txt", gzip.compress(ARTICLE.encode() * 50), "binary", "gzip"),
        Case("bomb.txt", _zip_bomb(), "binary", "zip bomb: never unpacked"),
        Case("packed.html", lzma.compress(ARTICLE.encode()), "binary", "xz"),
        Case("packed2.txt", b"BZh" + b"\x00" + bz2.compress(ARTICLE.encode())[4:], "binary", "bzip2"),
        Case("program.txt", b"\x7fELF\x02\x01\x01" + rng.randbytes(500), "binary", "ELF executable"),
        Case("windows.txt", b"MZ\x90\x00\x03\x00\x00\x00" + rng.randbytes(500), "binary", "Windows executable"),
        Case("report.txt", b"%PDF-1.7\n" + rng.randbytes(800), "binary", "PDF"),
        Case("photo.html", b"\xff\xd8\xff\xe0" + rng.randbytes(800), "binary", "JPEG"),
        Case("database.txt", b"SQLite format 3\x00" + rng.randbytes(800), "binary", "SQLite file"),
        Case("nul bytes.txt", ARTICLE.encode().replace(b" ", b"\x00"), "binary", "NUL bytes"),
        Case("controls.txt", "".join(chr(rng.randrange(1, 8)) + "ab" for _ in range(600)).encode(), "binary",
             "control characters"),
        Case("broken utf16.txt", b"\xff\xfe" + "An article".encode("utf-16-le") + b"\x00\xd8", "decode",
             "UTF-16 cut in a surrogate pair"),
        Case("too big.txt", ARTICLE.encode() * 6000, "too_large", "over MAX_FILE_BYTES"),
        Case("one huge line.txt", ("word " * 30_000).encode(), "line_too_long", "150,000 characters, no line break"),
        Case("only clutter.txt", b"Home | World | Sports | Weather\nSponsored by Acme\nSubscribe to our newsletter\n"
             b"https://example.com/share\n", "no_article_text", "page chrome only"),
        Case("no text.html", b"<html><head><title>x</title><script>var a = 1;</script></head><body><nav>Home</nav>"
             b"</body></html>", "no_article_text", "scripts and a menu"),
        # articles, however odd: each loads
        Case("utf16 article.txt", ARTICLE.replace("Lowtown", "Hilltown").encode("utf-16"), LOADED, "UTF-16 with BOM"),
        Case("cp1252 article.txt", ARTICLE.replace("Lowtown", "Rivertown").encode("cp1252"), LOADED, "Windows-1252"),
        Case("stray byte.txt", ARTICLE.replace("Lowtown", "Lakeside").encode().replace(b"repairs.", b"repairs.\xff"),
             LOADED, "one invalid UTF-8 byte"),
        Case("sql 'quotes' \"here\".txt", (ARTICLE + "The sign read: Robert'); DROP TABLE articles;-- and \"quoted\" "
                                           "text.\n").encode(), LOADED, "SQL in name and text"),
        Case("ünïcödé náme.txt", ARTICLE.replace("Lowtown", "Ångström").encode(), LOADED, "non-ASCII name"),
        Case(b"caf\xe9 latin1 name.txt", ARTICLE.replace("Lowtown", "Cafeville").encode(), LOADED,
             "a Latin-1 file name on a UTF-8 system (crashed the run)"),
        Case("dots..in..name.txt", ARTICLE.replace("Lowtown", "Dotville").encode(), LOADED, "dots"),
        Case("scripts.html", ("<html><head><style>body{color:red}</style><script>alert('x')</script></head><body>"
                              "<iframe src='https://ads.example.com'></iframe><article><h1>Bridge to reopen</h1><p>"
                              + ARTICLE + "</p><script>track()</script></article></body></html>").encode(),
             LOADED, "scripts, styles, iframes"),
        Case("nested.html", _deep_html(600).replace(b"Deepdale", b"Nestford"), LOADED, "600 levels deep"),
        Case("deep.html", _deep_html(2048), LOADED, "2,048 levels deep (was quarantined as html_too_deep)"),
        Case("entities.html", _billion_laughs(), LOADED, "billion laughs: entities never expanded"),
        Case("folder.txt/inner.txt", ARTICLE.replace("Lowtown", "Innertown").encode(), LOADED, "a folder named .txt"),
        Case("year 9999.txt", ("31.12.9999\n\nTime capsule sealed\n\n" + ARTICLE + "The capsule will be opened on "
                               "31 December 9999, a day after the ceremony, the mayor said on Monday.\n").encode(),
             LOADED, "dated 9999 (crashed the run with OverflowError)"),
        Case("flood a.txt", ("5 March 2024\n\nBrackford barrier fails\n\n" + FLOOD).encode(), LOADED, "story, good"),
        Case("flood b.txt", ("6 March 2024\n\nBrackford flood investigated\n\n" + FLOOD.replace("300", "310")).encode(),
             LOADED, "story, good"),
        Case("flood c.txt", ("5 March 2099\n\nFlood in Brackford\n\n" + FLOOD.replace(", March 4, 2024", "")).encode(),
             LOADED, "story, dated 2099 (got its two good siblings quarantined)"),
        Case("two stray bytes.txt", ARTICLE.replace("Lowtown", "Strayford").encode()
             .replace(b"repairs.", b"repairs.\x9d").replace(b"Traders", b"\xffTraders"), LOADED,
             "388 bytes of UTF-8 with curly quotes and 2 invalid bytes (was quarantined as binary)"),
        Case("cesu pairs.txt", _cesu8(ARTICLE.replace("Lowtown", "Wavemouth \U0001F30A")), LOADED,
             "an emoji as a CESU-8 surrogate pair (was quarantined as binary)"),
        Case("attachment.txt", b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n"
             + _base64_lines(6000), "encoded_blob", "a base64 mail attachment (loaded as an article)"),
        Case("markup story.txt", ("Browser bug blanks shop pages\n\n" + MARKUP_STORY).encode(), LOADED,
             "prose naming <style> and <div> (sniffed as HTML, most words lost)"),
        Case("unclosed quote.txt", ("Bridge accounts published\n\n" + ARTICLE.replace("Lowtown", "Quayside")
                                    + "Asked about the delay, the treasurer replied “" + LONG_PARAGRAPH + "\n").encode(),
             LOADED, "an opening quotation mark never closed before a 5,000-character paragraph"),
        Case("impossible date.html", ('<html><head><meta property="article:published_time" content="2024-02-30T09:00:00Z">'
                                      "<title>Bridge to reopen</title></head><body><article><h1>Bridge to reopen</h1>"
                                      f"<p>{ARTICLE.replace('Lowtown', 'Febmouth')}</p></article></body></html>").encode(),
             LOADED, "published 2024-02-30 (stored as 2024-02-01)"),
    ]


# What `write(..., with_specials=True)` puts in the seeds folder that a run skips by design, by kind
# (`flows.sources.SKIP_KINDS`): never read, never quarantined, counted in the summary.
SKIPPED_BY_DESIGN = {"dot_files": 1, "dot_folders": 1, "folder_links": 1}


def outside_folder(folder: Path) -> Path:
    """The folder beside the seeds folder that the corpus links to (a run must never read or change it)."""
    return folder.parent / f"{folder.name}-outside"


def write(folder: Path, with_specials: bool = True) -> list[Case]:
    """Write every case into `folder` (plus, with `with_specials`, what cannot be a plain file: a link out of
    the folder, a link loop, a FIFO; and what a run skips by design, `SKIPPED_BY_DESIGN`: a link to the folder
    beside it, a dot-file, a dot-folder). Returns the cases written, specials included."""
    written = []
    for case in cases():
        path = os.fsencode(folder) + b"/" + (case.name if isinstance(case.name, bytes) else case.name.encode())
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(case.data)
        written.append(case)
    if with_specials:
        outside = folder.parent / f"{folder.name}-secret.txt"
        outside.write_text(ARTICLE)
        os.symlink(outside, folder / "escape.txt")
        os.symlink(folder / "loop b.txt", folder / "loop a.txt")
        os.symlink(folder / "loop a.txt", folder / "loop b.txt")
        os.mkfifo(folder / "pipe.txt")
        beside = outside_folder(folder)  # a folder beside the seeds folder: linked to, never written
        beside.mkdir(exist_ok=True)
        (beside / "notes.txt").write_text(ARTICLE)
        os.symlink(beside, folder / "linked folder")  # a link to a folder: skipped by design, counted
        (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # a dot-file: skipped by design, counted
        (folder / ".cache").mkdir()
        (folder / ".cache" / "page.txt").write_text(ARTICLE)  # a dot-folder: skipped by design, counted
        (folder / "tiny").mkdir()
        for i in range(TINY_FILES):
            (folder / "tiny" / f"{i:04}.txt").write_bytes(b" \n"[: 1 + i % 2])
        written += [Case("escape.txt", b"", "symlink_outside", "link out of the folder"),
                    Case("loop a.txt", b"", "unreadable", "symlink loop"),
                    Case("loop b.txt", b"", "unreadable", "symlink loop"),
                    Case("pipe.txt", b"", "not_a_file", "FIFO")]
        written += [Case(f"tiny/{i:04}.txt", b"", "empty", "one of many tiny files") for i in range(TINY_FILES)]
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for case in write(target):
        print(f"{case.outcome:16} {case.seed_name}  ({case.why})")

"""Bytes → text: detect the encoding, refuse binary and compressed payloads, tell HTML from plain text.

Pure functions on bytes; reading files is the flow's job. A refusal is a value (`Rejected`), never an
exception, so one bad file can be quarantined while the run goes on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from transforms.article import Rejected
from typing import Literal

InputFormat = Literal["html", "text"]

# Magic numbers of formats that must never be read as article text (first bytes of the file).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\x7fELF", "elf"),
    (b"MZ", "exe"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ms-office"),
    (b"SQLite format 3\x00", "sqlite"),
    (b"\x00asm", "wasm"),
    (b"\xca\xfe\xba\xbe", "java-class"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Share of control characters (other than tab/newline/CR/FF) above which decoded text is binary junk.
MAX_CONTROL_SHARE = 0.01
# A plain-text line longer than this is not a paragraph (real ones stay under ~10k characters): a dump,
# a minified blob or an attack on line-based processing. HTML is exempt (minified pages are one line).
MAX_TEXT_LINE_CHARS = 50_000
# A supplementary character written as two 3-byte surrogates (CESU-8, "WTF-8"), and a surrogate left alone.
_CESU_PAIR = re.compile(rb"\xed[\xa0-\xaf][\x80-\xbf]\xed[\xb0-\xbf][\x80-\xbf]")
_LONE_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # an undecodable byte, as `surrogateescape` keeps it
_NON_ASCII = re.compile("[^\x00-\x7f]")
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
# Text that is mostly an encoded payload (base64, hex, a data: URI, a PEM block, a mail attachment) is not an
# article. A run is this long at least (a base64 line is 64 or 76 characters, a SHA-1 40) and holds a letter
# and a digit (a long word or number is not one); runs past this share of the visible characters make a blob.
MIN_ENCODED_RUN_CHARS = 40
MAX_ENCODED_SHARE = 0.5
_ENCODED_RUN = re.compile(r"[A-Za-z0-9+/]{%d,}={0,2}" % MIN_ENCODED_RUN_CHARS)
_HTML_SNIFF = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|section|span|h[1-6]|br|meta|title|a|li|ul|table)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[a-zA-Z/!][^<>]{0,500}>")
_TAG_AT_END = re.compile(r"<[a-zA-Z/!][^<>]{0,500}>$")
_DOCUMENT_START = re.compile(r"(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
                             re.IGNORECASE | re.DOTALL)
# A fragment without a document start is HTML when at least this share of its non-blank lines start or end with
# a tag (a page's lines do; prose that mentions `<div>` has one here and there), or this share of its visible
# characters is inside tags (a minified fragment).
MIN_MARKUP_LINE_SHARE = 0.5
MIN_MARKUP_SHARE = 0.2


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    input_format: InputFormat
    warnings: tuple[str, ...] = ()


class NotArticleText(Exception):
    """Raised by a cleaner that finds its input cannot be an article; becomes a quarantine row."""

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(reason)
        self.check = check
        self.reason = reason


def sniff_binary(data: bytes) -> str | None:
    """Name of a binary/compressed format recognised from the first bytes, else None."""
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            # "MZ" and "BZh" are also plausible text starts: require a NUL soon after for those.
            if name in {"exe", "bzip2"} and b"\x00" not in data[:512]:
                continue
            return name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII-range text leaves every other byte NUL."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0)
    return controls / len(text)


def _join_cesu_pairs(data: bytes) -> tuple[bytes, int]:
    """CESU-8 surrogate pairs rewritten as the UTF-8 of the character they encode, and how many there were."""
    def utf8(pair: re.Match[bytes]) -> bytes:
        surrogates = pair.group(0).decode("utf-8", errors="surrogatepass")
        return surrogates.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le").encode("utf-8")
    return _CESU_PAIR.subn(utf8, data)


def utf8_evidence(data: bytes) -> tuple[int, int]:
    """(continuation bytes inside valid multibyte UTF-8 sequences, invalid sequences) of `data`.

    Each valid continuation byte speaks for UTF-8: a cp1252 text almost never puts one of 0x80-0xBF right
    after a lead byte, let alone two. An invalid byte speaks against it; a lone surrogate counts once."""
    lone = len(_LONE_SURROGATE.findall(data))
    text = data.decode("utf-8", errors="surrogateescape")
    escaped = len(_ESCAPED_BYTE.findall(text))
    valid_non_ascii = len(_NON_ASCII.findall(text)) - escaped
    ascii_chars = len(text) - escaped - valid_non_ascii
    continuation = len(data) - ascii_chars - escaped - valid_non_ascii
    return continuation, escaped - 2 * lone


def _decode_unmarked(raw: bytes) -> tuple[str, str, tuple[str, ...]]:
    """UTF-8, unless the bytes are better evidence of cp1252: a few stray bytes in a UTF-8 text of any size are
    replaced (and reported), never a reason to read the whole text as another encoding."""
    try:
        return raw.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    data, pairs = _join_cesu_pairs(raw)
    joined = (f"{pairs} CESU-8 surrogate pair(s) decoded as the characters they encode",) if pairs else ()
    try:
        return data.decode("utf-8"), "utf-8", joined
    except UnicodeDecodeError:
        pass
    continuation, invalid = utf8_evidence(data)
    if continuation >= invalid:
        text = _LONE_SURROGATE.sub(b"\xef\xbf\xbd", data).decode("utf-8", errors="replace")
        return text, "utf-8", (*joined, f"{invalid} invalid UTF-8 byte sequence(s) replaced with U+FFFD")
    # Bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are replaced: read as latin-1 they would be
    # C1 control characters, which are no text and would get the file called binary.
    undefined = sum(raw.count(byte) for byte in _CP1252_UNDEFINED)
    return raw.decode("cp1252", errors="replace"), "cp1252", (
        (f"{undefined} byte(s) undefined in cp1252 replaced with U+FFFD",) if undefined else ())


def looks_like_html(text: str) -> bool:
    """HTML by document structure, not by file name nor by a tag a sentence mentions: a document start
    (`<!doctype html>`, `<html>`, `<head>`, `<body>`), or a fragment whose lines are markup (start or end with a
    tag) or whose text is dense markup. A news text about a `<style>` bug is prose: read as HTML, its unclosed
    `<style>` would swallow the rest of the article."""
    head = text[:20000]
    if _DOCUMENT_START.match(head.lstrip()):
        return True
    if not _HTML_SNIFF.search(head):
        return False
    tags = _TAG.findall(head)
    if len(tags) < 3:
        return False
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    markup_lines = sum(1 for line in lines if _TAG.match(line) or _TAG_AT_END.search(line))
    markup_share = sum(map(len, tags)) / max(1, len("".join(head.split())))
    return markup_lines / len(lines) >= MIN_MARKUP_LINE_SHARE or markup_share >= MIN_MARKUP_SHARE


def encoded_blob(text: str) -> Rejected | None:
    """Why `text` is an encoded payload rather than an article (most of it in long base64/hex runs), else None.
    A URL, a hash or a code snippet in an article is a small share of it."""
    visible = len("".join(text.split()))
    encoded = sum(len(run) for run in _ENCODED_RUN.findall(text)
                  if re.search(r"\d", run) and re.search(r"[A-Za-z]", run))
    if not visible or encoded / visible <= MAX_ENCODED_SHARE:
        return None
    return Rejected("encoded_blob", f"{encoded / visible:.0%} of the text ({encoded:,} of {visible:,} characters) "
                                    f"is base64 or hex runs of {MIN_ENCODED_RUN_CHARS}+ characters: an encoded "
                                    "payload, not article text")


def decode_bytes(data: bytes) -> Decoded | Rejected:
    """Decode raw file bytes, or say why they are not an article."""
    if not data.strip():
        return Rejected("empty", "file is empty or whitespace only" if data else "file is empty")
    binary = sniff_binary(data)
    if binary:
        return Rejected("binary", f"binary content ({binary} signature), not article text")
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    encoding = encoding or _utf16_without_bom(data)
    warnings: tuple[str, ...] = ()
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            return Rejected("decode", f"invalid {encoding} data at byte {exc.start}")
        text = text.lstrip("\ufeff")
        encoding = encoding.removesuffix("-sig").removesuffix("-le").removesuffix("-be")
    else:
        if b"\x00" in data:
            return Rejected("binary", "NUL bytes in a file that is not UTF-16/32: binary content")
        text, encoding, warnings = _decode_unmarked(data)
    if _control_share(text) > MAX_CONTROL_SHARE:
        return Rejected("binary", f"{_control_share(text):.1%} control characters: binary content, not text")
    if not text.strip():
        return Rejected("empty", "file has no visible text")
    input_format: InputFormat = "html" if looks_like_html(text) else "text"
    if input_format == "text" and (longest := max(len(line) for line in text.splitlines())) > MAX_TEXT_LINE_CHARS:
        return Rejected("line_too_long", f"a single line of {longest} characters (over {MAX_TEXT_LINE_CHARS}) "
                                         "is not article text")
    if input_format == "text" and (blob := encoded_blob(text)):  # a page's body is checked once extracted
        return blob
    return Decoded(text=text, encoding=encoding, input_format=input_format, warnings=warnings)

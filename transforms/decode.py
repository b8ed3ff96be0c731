"""Bytes → text: detect the encoding, refuse binary and compressed payloads, tell HTML from plain text.

Pure functions on bytes; reading files is the flow's job. A refusal is a value (`Rejected`), never an
exception, so one bad file can be quarantined while the run goes on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
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
# Share of invalid UTF-8 bytes we still read as UTF-8 with replacement (a few stray bytes in UTF-8 text).
MAX_INVALID_UTF8_SHARE = 0.001
_HTML_SNIFF = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|section|span|h[1-6]|br|meta|title|a|li|ul|table)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[a-zA-Z/!][^<>]{0,500}>")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    input_format: InputFormat
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejected:
    check: str
    reason: str


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


def _decode_unmarked(data: bytes) -> tuple[str, str, tuple[str, ...]] | Rejected:
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    multibyte_ok = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if invalid <= max(1, len(data) * MAX_INVALID_UTF8_SHARE) and multibyte_ok >= invalid:
        return text, "utf-8", (f"{invalid} invalid UTF-8 byte sequence(s) replaced with U+FFFD",)
    try:
        return data.decode("cp1252"), "cp1252", ()
    except UnicodeDecodeError:
        # Bytes undefined in cp1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D): latin-1 maps every byte.
        return data.decode("latin-1"), "latin-1", ("bytes undefined in cp1252; decoded as latin-1",)


def looks_like_html(text: str) -> bool:
    """HTML by content, not by file name: a document-level tag, or markup dense enough to be a page."""
    head = text[:20000]
    stripped = head.lstrip()
    if re.match(r"<!doctype\s+html|<html[\s>]", stripped, re.IGNORECASE):
        return True
    if not _HTML_SNIFF.search(head):
        return False
    tags = len(_TAG.findall(head))
    lines = max(1, head.count("\n") + 1)
    return tags >= 3 and tags / lines >= 0.2


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
        decoded = _decode_unmarked(data)
        if isinstance(decoded, Rejected):
            return decoded
        text, encoding, warnings = decoded
    if _control_share(text) > MAX_CONTROL_SHARE:
        return Rejected("binary", f"{_control_share(text):.1%} control characters: binary content, not text")
    if not text.strip():
        return Rejected("empty", "file has no visible text")
    input_format: InputFormat = "html" if looks_like_html(text) else "text"
    if input_format == "text" and (longest := max(len(line) for line in text.splitlines())) > MAX_TEXT_LINE_CHARS:
        return Rejected("line_too_long", f"a single line of {longest} characters (over {MAX_TEXT_LINE_CHARS}) "
                                         "is not article text")
    return Decoded(text=text, encoding=encoding, input_format=input_format, warnings=warnings)

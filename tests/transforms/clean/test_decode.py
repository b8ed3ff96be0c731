import base64
import codecs
import gzip
import hashlib
import random

import pytest

from transforms.article import Rejected
from transforms.clean.decode import Decoded, decode_bytes, encoded_blob, looks_like_html

ARTICLE = "Officials met in Geneva on Monday to discuss the water agreement, the ministry said."


def test_plain_utf8_is_text():
    result = decode_bytes(ARTICLE.encode())
    assert isinstance(result, Decoded)
    assert (result.encoding, result.input_format) == ("utf-8", "text")


def test_utf8_bom_is_stripped():
    result = decode_bytes(codecs.BOM_UTF8 + "Zürich talks resumed.".encode())
    assert result.text == "Zürich talks resumed." and result.encoding == "utf-8"


def test_utf16_with_and_without_bom():
    with_bom = decode_bytes("Zürich talks resumed today.".encode("utf-16"))
    without = decode_bytes("Zürich talks resumed today.".encode("utf-16-le"))
    assert with_bom.text == without.text == "Zürich talks resumed today."
    assert with_bom.encoding == without.encoding == "utf-16"


def test_cp1252_curly_quotes_decode():
    raw = "\u201cWe will return,\u201d she said \u2014 in Köln.".encode("cp1252")
    result = decode_bytes(raw)
    assert result.encoding == "cp1252"
    assert result.text == "\u201cWe will return,\u201d she said \u2014 in Köln."


def test_a_stray_invalid_byte_in_utf8_is_replaced_and_reported():
    raw = ("Talks in Zürich ended. " * 200).encode() + b"\xff" + b" More text follows here."
    result = decode_bytes(raw)
    assert isinstance(result, Decoded) and result.encoding == "utf-8"
    assert "\ufffd" in result.text and result.warnings


def test_empty_and_whitespace_rejected():
    assert decode_bytes(b"").check == "empty"
    assert decode_bytes(b"  \n\t \n").check == "empty"


def test_compressed_and_binary_rejected_without_decompressing():
    assert decode_bytes(gzip.compress(ARTICLE.encode() * 1000)).check == "binary"
    assert decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100)).check == "binary"
    assert decode_bytes(bytes(range(256)) * 4).check == "binary"


def test_html_detected_by_content_not_name():
    assert looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    assert looks_like_html("<div><p>One</p>\n<p>Two</p>\n<p>Three</p></div>")
    assert not looks_like_html("Prices rose 3% <as expected> on Monday.\nThe index closed higher.")
    assert isinstance(decode_bytes(b"<html><body><p>x</p></body></html>"), Decoded)
    assert not isinstance(decode_bytes(b"<html><body><p>x</p></body></html>"), Rejected)


def test_a_single_huge_text_line_is_rejected_but_minified_html_is_not():
    rejected = decode_bytes(("word " * 20_000).encode())
    assert isinstance(rejected, Rejected) and rejected.check == "line_too_long"
    page = "<html><body>" + "<p>Paragraph text here.</p>" * 3000 + "</body></html>"
    assert decode_bytes(page.encode()).input_format == "html"


# A short UTF-8 news text (about 520 bytes) with curly quotes, as in the file a probe had quarantined as binary.
SHORT_UTF8 = ("Ferry crews in Port Alder voted on Friday to end a four-day strike, the union said. "
              "\u201cThe offer is fair and the boats will sail on Monday,\u201d said Marta Kell, the union\u2019s "
              "secretary. The operator said timetables would return to normal within a week, and passengers "
              "holding cancelled tickets would be refunded in full. Freight traffic, stuck at the quay since "
              "Tuesday, was cleared overnight, harbour officials said.\n")


def test_two_stray_bytes_in_a_short_utf8_text_are_replaced_not_called_binary():
    raw = SHORT_UTF8.encode().replace(b"union said.", b"union said.\x9d").replace(b"Freight", b"\xffFreight")
    assert 400 < len(raw) < 2000  # below the size where the old allowance grew past one byte
    result = decode_bytes(raw)
    assert isinstance(result, Decoded) and result.encoding == "utf-8"
    assert "\u201cThe offer is fair" in result.text and "union\u2019s" in result.text
    assert result.text.count("\ufffd") == 2 and result.warnings == (
        "2 invalid UTF-8 byte sequence(s) replaced with U+FFFD",)


def test_cesu8_surrogate_pairs_are_the_characters_they_encode():
    wave = "\U0001F30A".encode("utf-16-be")  # high and low surrogate, each written as 3 UTF-8-shaped bytes
    cesu = b"".join(chr(int.from_bytes(wave[i:i + 2], "big")).encode("utf-8", "surrogatepass") for i in (0, 2))
    result = decode_bytes(SHORT_UTF8.replace("Port Alder", "Port Alder @").encode().replace(b"@", cesu))
    assert isinstance(result, Decoded) and result.encoding == "utf-8"
    assert "Port Alder \U0001F30A voted" in result.text and "\u201cThe offer" in result.text
    assert result.warnings == ("1 CESU-8 surrogate pair(s) decoded as the characters they encode",)
    lone = decode_bytes(SHORT_UTF8.encode().replace(b"Port Alder", b"Port Alder \xed\xa0\xbc"))
    assert lone.encoding == "utf-8" and "Port Alder \ufffd voted" in lone.text and "\u201cThe offer" in lone.text


def test_cp1252_text_stays_cp1252_even_if_two_bytes_look_like_utf8():
    # "ß" then "”" is 0xDF 0x94 in cp1252: a valid UTF-8 pair by chance; the other accents are not.
    text = "\u201cDie Stra\u00dfe bleibt zu,\u201d sagte M\u00fcller \u00fcber die Br\u00fccke und den Fu\u00df\u201d-Weg."
    result = decode_bytes(text.encode("cp1252"))
    assert result.encoding == "cp1252" and result.text == text


def test_bytes_undefined_in_cp1252_never_become_control_characters():
    raw = b"The council met on Monday.\x81 Members approved the budget\x9d for the coming year."
    result = decode_bytes(raw)
    assert isinstance(result, Decoded)
    assert not any(0x80 <= ord(ch) < 0xA0 for ch in result.text)
    assert result.text.count("\ufffd") == 2 and result.warnings == ("2 byte(s) undefined in cp1252 replaced with U+FFFD",)


def _base64_lines(size: int, width: int = 76) -> str:
    payload = base64.b64encode(random.Random(5).randbytes(size)).decode()
    return "\n".join(payload[i:i + width] for i in range(0, len(payload), width))


@pytest.mark.parametrize("text", [
    _base64_lines(30_000),  # a blob wrapped at 76 characters, like a mail attachment
    "-----BEGIN CERTIFICATE-----\n" + _base64_lines(1200, 64) + "\n-----END CERTIFICATE-----\n",
    "Content-Type: application/pdf; name=\"minutes.pdf\"\nContent-Transfer-Encoding: base64\n\n" + _base64_lines(6000),
    "\n".join(random.Random(6).randbytes(32).hex() for _ in range(100)),  # a hex dump
    "data:image/png;base64," + _base64_lines(3000, 100_000),
])
def test_an_encoded_payload_is_not_an_article(text):
    result = decode_bytes(text.encode())
    assert isinstance(result, Rejected) and result.check == "encoded_blob"
    assert "% of the text (" in result.reason and "characters)" in result.reason


def test_articles_with_hashes_urls_numbers_and_code_are_not_encoded_payloads():
    text = ("The maintainers said on Monday that release 4.2 fixes the flaw (commit "
            f"{hashlib.sha1(b'fix').hexdigest()}, checksum {hashlib.sha256(b'tarball').hexdigest()}).\n\n"
            "Details are at https://example.org/security/2024/advisory-17 and in the mailing list archive.\n\n"
            "Year  Reports  Fixed\n2022  1204  1187\n2023  1532  1499\n\n"
            "The patched check reads: if (len > MAX_LEN) { return ERR_TOO_LONG; }\n\n"
            "Users were urged to update, and the project thanked the researcher who reported the flaw.\n")
    assert isinstance(decode_bytes(text.encode()), Decoded)
    assert encoded_blob(text) is None


def test_html_sniffing_needs_document_structure_not_tags_named_in_prose():
    prose = ("A browser update broke pages in which a <style> element sits inside a <div>, its makers said.\n"
             "The parser treated the closing </div> tag as part of the stylesheet, engineers found.\n"
             "Old <table> layouts were hit hardest, shop owners said.\n")
    assert not looks_like_html(prose)
    paragraphs = "\n".join(f"<p>{'The harbour reopened after the storm and crews returned to work. ' * 8}</p>"
                           for _ in range(4))
    assert looks_like_html(paragraphs)  # a fragment: little markup, but every line is a tagged block
    assert looks_like_html("<!-- saved page -->\n<!DOCTYPE html><p>Talks resumed.</p>")
    assert looks_like_html("<section><h2>Talks</h2><p>Talks resumed on Monday.</p><p>More later.</p></section>")

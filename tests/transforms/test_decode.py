import codecs
import gzip

from transforms.decode import Decoded, Rejected, decode_bytes, looks_like_html

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

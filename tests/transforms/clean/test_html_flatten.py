"""Very deep HTML rewritten shallow before parsing: the text is kept, in order, with its blocks."""

import lxml.etree as etree
import pytest

import transforms.clean.html_clean as html_clean
from transforms.clean.decode import NotArticleText
from transforms.clean.html_clean import FLAT_DEPTH, clean_html, parse_html, tree_depth, visible_blocks
from transforms.clean.html_flatten import flatten_html

STORY = ("Officials in Lowtown said on Tuesday that the river bridge would reopen next month after repairs.",
         "The mayor, Elena Marsh, told reporters that engineers had found cracks in two pillars in March.",
         "Traders on both banks said the closure had cost them customers.")


def deep_page(levels: int, inner: str) -> str:
    return (f"<html><head><title>Bridge to reopen</title></head><body>{'<div>' * levels}{inner}"
            f"{'</div>' * levels}</body></html>")


def blocks_of(html: str, cap: int) -> list[str]:
    return [text for text, _ in visible_blocks(parse_html(flatten_html(html, cap)))]


@pytest.mark.parametrize("levels", [2_048, 100_000])
def test_text_nested_deeper_than_the_parser_goes_survives(levels):
    html = deep_page(levels, "".join(f"<p>{p}</p>" for p in STORY))
    assert STORY[0] not in parse_html(html).text_content()  # libxml2 alone loses it
    tree = parse_html(flatten_html(html, FLAT_DEPTH))
    assert tree_depth(tree) <= FLAT_DEPTH + 3  # html and body, the cap, one flattened level
    assert [text for text, _ in visible_blocks(tree)][-3:] == list(STORY)
    body, meta, _ = clean_html(html)
    assert body == "\n\n".join(STORY) and meta.title == "Bridge to reopen"


def test_deep_blocks_become_siblings_in_document_order():
    html = deep_page(20, "<div>A<div>B<section>C</section>D</div>E</div><p>F</p>")
    assert blocks_of(html, 10) == ["A", "B", "C", "D", "E", "F"]
    tree = parse_html(flatten_html(html, 10))
    assert tree_depth(tree) <= 13


def test_inline_elements_below_the_cap_are_unwrapped_into_their_block():
    html = deep_page(20, "<p>Hello <b>bold <i>and italic</i></b> world &amp; <a href='x'>more</a>.</p><p>Next</p>")
    assert blocks_of(html, 10) == ["Hello bold and italic world & more.", "Next"]


def test_line_breaks_images_and_entities_below_the_cap_are_kept():
    html = deep_page(20, "<p>One<br>two &lt;3 &eacute;t&eacute; <img src='a.png'> end</p>")
    flat = parse_html(flatten_html(html, 10))
    assert flat.find(".//br") is not None and flat.find(".//img") is not None
    assert [text for text, _ in visible_blocks(flat)][-2:] == ["One", "two <3 été end"]


def test_script_text_is_not_escaped():
    html = deep_page(20, "<script>if (a < b && c) {}</script><p>Text</p>")
    assert "<script>if (a < b && c) {}</script>" in flatten_html(html, 10)


def test_a_shallow_page_parses_to_the_same_tree():
    page = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>T &amp; U</title>"
            "<style>p > a {color: red}</style></head><body><nav class='menu'><ul><li><a href='/'>Home</a>"
            "<li>News</ul></nav><article><h1>Head</h1><p>One <b>two</b> three<br>four</p><p>Caf&eacute; "
            "&lt;tag&gt; &#8220;quote&#8221;<img src='x.png' alt='x'/></p><table><tr><td>1<td>2</tr></table>"
            "</article><!-- a comment --><footer>(c) 2024</footer></body></html>")
    assert etree.tostring(parse_html(flatten_html(page, 500))) == etree.tostring(parse_html(page))


def test_a_page_still_too_deep_after_flattening_is_refused(monkeypatch):
    monkeypatch.setattr(html_clean, "flatten_html", lambda text, cap: text)  # a rewrite that fails
    with pytest.raises(NotArticleText) as refusal:
        clean_html(deep_page(3_000, "<p>Text.</p>"))
    assert refusal.value.check == "html_too_deep" and "after flattening" in refusal.value.reason

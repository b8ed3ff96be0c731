"""The cleaning entry point: decoded bytes to an article, whichever cleaner the sniffed format picks."""

import base64
import random
import re

import pytest

from transforms.article import Removed
from transforms.clean.document import clean_document, clutter_doubt
from transforms.clean.decode import NotArticleText, decode_bytes

# A tech-news story about markup: it names tags, it is not markup (an unclosed <style> would swallow it as HTML).
MARKUP_STORY = """Browser update blanks thousands of shop pages

A faulty update to the Larkspur browser stopped drawing pages in which a <style> element sits inside a <div>, its developers said on Wednesday.
Shop owners in Norway and Chile reported blank product pages within hours of the release.
The engineers traced the fault to the parser, which read the closing </div> tag as part of the stylesheet.
"Nobody expected a <style> block in that position to matter," said Ines Varga, who leads the browser team.
A fix was published on Thursday, and users were asked to restart the browser.
Web developers said the bug showed how fragile old <table> layouts remain.
The company apologised and promised a review of its release tests.
"""


def _clean(raw: bytes):
    decoded = decode_bytes(raw)
    return decoded, clean_document("story.txt", "sha", len(raw), decoded)


def test_a_story_that_names_html_tags_keeps_every_word():
    decoded, article = _clean(MARKUP_STORY.encode())
    assert decoded.input_format == "text"
    assert article.meta.title == "Browser update blanks thousands of shop pages"
    assert re.findall(r"\S+", f"{article.meta.title}\n{article.body}") == re.findall(r"\S+", MARKUP_STORY)
    assert "<style> block" in article.body and "</div> tag" in article.body


def test_a_page_whose_text_is_an_encoded_payload_is_not_an_article():
    payload = base64.b64encode(random.Random(8).randbytes(9000)).decode()
    lines = "\n".join(payload[i:i + 76] for i in range(0, len(payload), 76))
    page = f"<html><head><title>attachment</title></head><body><pre>{lines}</pre></body></html>"
    with pytest.raises(NotArticleText) as refusal:
        _clean(page.encode())
    assert refusal.value.check == "encoded_blob" and "of the text" in refusal.value.reason


def _chrome_page(lang: str, headline: str, paragraphs: list[str], link_text: str) -> bytes:
    """A page that is mostly navigation and footer links around a short article."""
    links = "".join(f'<li><a href="/s/{i}">{link_text} {i}</a></li>' for i in range(80))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>{headline}</title></head><body><nav><ul>'
            f"{links}</ul></nav><article><h1>{headline}</h1>{body}</article><footer><ul>{links}</ul></footer>"
            "</body></html>").encode()


def test_a_japanese_article_keeps_its_body_where_words_are_not_separated_by_spaces():
    raw = _chrome_page("ja", "フェリーが岸壁に接触、三人けが", [
        "北浜市の港で十日朝、大型フェリーが岸壁に接触し、乗客三人が軽いけがをした。市の港湾局によると、強い風で船が流されたとみられる。",
        "港湾局は運航会社に事故の原因を報告するよう求めた。フェリーは午後から運航を再開した。"], "ニュース一覧")
    _, article = _clean(raw)
    assert article.body.startswith("北浜市の港で十日朝") and article.body.endswith("運航を再開した。")
    assert article.meta.language == "ja" and article.meta.field_issues == []  # ~100 characters: not short


def test_a_short_article_on_a_page_of_chrome_is_kept_and_the_doubt_recorded():
    raw = _chrome_page("en", "Harbourline Halves Dividend", [
        "Harbourline Shipping Co. said Tuesday it would cut its quarterly dividend by half, citing weaker "
        "freight rates on its Pacific routes.", "Shares fell 4% in late trading."], "Markets and business")
    _, article = _clean(raw)
    assert article.body.endswith("Shares fell 4% in late trading.")
    [issue] = article.meta.field_issues
    assert issue.startswith("body: short and most of the input removed as clutter") and "(27 words," in issue


def test_a_short_japanese_article_is_measured_in_characters_not_in_space_separated_words():
    removed = [Removed(1, "メニュー " * 200, "navigation")]
    assert clutter_doubt("港で船が岸壁に接触した。" * 5, removed) is None  # 60 characters: not short
    assert "(12 words" in (clutter_doubt("港で船が岸壁に接触した。", removed) or "")
    assert clutter_doubt("Shares fell 4% in late trading.", []) is None  # nothing removed: no doubt


def test_a_headline_only_story_keeps_its_headline_as_the_body_and_page_chrome_alone_does_not():
    _, article = _clean(b"March 14, 2025\nHarbour pilot Ana Lind, ferry pioneer, dies at 88\n")
    assert article.body == "Harbour pilot Ana Lind, ferry pioneer, dies at 88"
    assert [issue.split(":")[0] for issue in article.meta.field_issues] == ["body"]
    assert all(r.reason != "page_chrome" for r in article.removed)
    _, chrome = _clean(b"Home | World | Sports | Weather\nSponsored by Acme\nSubscribe to our newsletter\n")
    assert chrome.body == ""  # known clutter patterns only: nothing to restore, the file is quarantined

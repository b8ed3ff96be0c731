"""The cleaning entry point: decoded bytes to an article, whichever cleaner the sniffed format picks."""

import base64
import random
import re

import pytest

from transforms.clean.document import clean_document
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

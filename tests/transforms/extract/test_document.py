"""Per-article frames from the extraction stage: keys that are unique by construction, on real pages."""

import hashlib
from datetime import datetime

import polars as pl
import pytest

from tests.helpers.paths import ROOT

from transforms.clean.document import clean_document
from transforms.clean.decode import decode_bytes
from transforms.extract.document import analyze_batch

TRAFDEV = ROOT.parent / "shared" / "trafilatura-dev" / "html"
# Real pages whose cleaning removes the same text twice from one page block.
REPEATING_PAGES = ("mdavis.xyz.supermarket.html", "schneems.com.rubocop.html")


@pytest.mark.skipif(not TRAFDEV.is_dir(), reason="../shared/trafilatura-dev is not beside the checkout")
@pytest.mark.parametrize("page", REPEATING_PAGES)
def test_clutter_rows_have_one_key_each_on_real_pages(nlp, page):
    data = (TRAFDEV / page).read_bytes()
    article = clean_document(page, hashlib.sha256(data).hexdigest(), len(data), decode_bytes(data))
    clutter = analyze_batch([article], nlp, "run", datetime(2026, 1, 1))["article_clutter"]
    repeated = clutter.group_by("line_no", "reason", "text").len().filter(pl.col("len") > 1)
    assert repeated.height >= 1  # the page does remove one text twice from one block
    assert clutter["item_no"].to_list() == list(range(1, clutter.height + 1))



def _article(name: str, body: str, title: str):
    raw = f"{title}\n\n{body}\n".encode()
    return clean_document(name, hashlib.sha256(raw).hexdigest(), len(raw), decode_bytes(raw))


def test_a_body_in_another_language_keeps_its_rows_and_is_not_read_by_the_english_model(nlp):
    indonesian = _article("id.txt", "Kapal feri Laut Biru menabrak dermaga di Pelabuhan Tanjung Sari pada hari Senin pagi. "
                          "Kepala pelabuhan Budi Santoso mengatakan tiga penumpang mengalami luka ringan dan dibawa "
                          "ke rumah sakit terdekat. \"Kami sedang menyelidiki penyebab kecelakaan ini,\" katanya kepada "
                          "wartawan. Kapal itu kembali berlayar pada sore hari setelah diperiksa oleh petugas.",
                          "Kapal feri menabrak dermaga di Tanjung Sari")
    english = _article("en.txt", "The Blue Sea ferry struck the pier at Tanjung Sari port on Monday morning. Port chief "
                       "Budi Santoso said three passengers were slightly hurt. \"We are investigating the cause,\" he "
                       "told reporters.", "Ferry strikes pier at Tanjung Sari")
    frames = analyze_batch([indonesian, english], nlp, "run", datetime(2026, 1, 1))
    articles = {row["seed_name"]: row for row in frames["articles"].iter_rows(named=True)}
    assert articles["id.txt"]["language"] == "id" and articles["id.txt"]["body"] == indonesian.body
    assert [issue.split(":")[0] for issue in articles["id.txt"]["field_issues"]] == ["language"]
    assert articles["en.txt"]["field_issues"] == []
    for table in ("entity_mentions", "quotes", "event_mentions", "temporal_expressions"):
        ids = set(frames[table]["article_id"].to_list())
        assert indonesian.article_id not in ids
    assert english.article_id in set(frames["entity_mentions"]["article_id"].to_list())
    assert english.article_id in set(frames["quotes"]["article_id"].to_list())

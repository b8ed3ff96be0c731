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


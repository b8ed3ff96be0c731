"""Golden cleaning checks on the five seed articles, in the style of trafilatura's evaluation:
for each file, snippets the body must contain and snippets it must not contain, plus metadata."""

from datetime import date
from pathlib import Path

import pytest

from transforms.clean.document import clean_document
from transforms.clean.decode import decode_bytes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

GOLDEN = {
    "000_1b3c65afea547e31.txt": {
        "starts": "Pakistan and Afghanistan are expected to resume peace talks",
        "ends": "amidst recent escalations and security concerns.",
        "contains": ["ceasefire established on October 19", "killed 18 militants", "In summary, the ongoing"],
        "not_contains": ["3.11.2025", "ANKARA, Turkey (AP)", "Peace talks between Pakistan and Afghanistan are set to",
                         '"Pakistan, Afghanistan to Resume'],
        "meta": {"title": "Pakistan, Afghanistan to Resume Peace Talks in Istanbul", "published_date": date(2025, 11, 3),
                 "agency": "AP", "dateline": "ANKARA", "authors": []},
    },
    "001_26c62c5d89ea49d3.txt": {
        "starts": "Pakistan and the Afghan Taliban regime are holding a new round",
        "ends": "“will be met with a firm and severe response.”",
        "contains": ["Samaa TV reports", "We went there for a cup of tea"],
        "not_contains": ["By Vafa Guliyeva", "Islamabad, Kabul resume negotiations"],
        "meta": {"title": "Islamabad, Kabul resume negotiations in Türkiye to defuse border crisis",
                 "published_date": None, "agency": None, "dateline": None, "authors": ["Vafa Guliyeva"]},
    },
    "002_f850821807b8f090.txt": {
        "starts": "Pakistan’s negotiating team is in Istanbul",
        "ends": "after previous rounds hit deadlock.",
        "contains": ["The new round was scheduled to begin in Istanbul on Nov. 6.", "“false and misleading.”"],
        "not_contains": ["Assalamu Alaikum", "brothers and sisters", "May Allah grant", "https://", "arabnews"],
        "meta": {"title": "Pakistan and Afghanistan Restart Peace Talks in Türkiye as Islamabad Seeks to End "
                          "Cross‑Border Attacks", "source_domain": "arabnews.com", "authors": []},
    },
    "003_4da35b025ce5a9f2.txt": {
        "starts": "Afghanistan and Pakistan have restarted peace talks in Istanbul",
        "ends": "their relationship moving forward.",
        "contains": ["Thursday, October 26, 2023", "Sirajuddin Haqqani"],
        "not_contains": ["\n\n\n"],
        "meta": {"title": None, "published_date": None, "authors": []},
    },
    "004_4395389ad3e5c8ad.txt": {
        "starts": "Pakistan and Afghan officials were back in Turkey on Thursday",
        "ends": "hand over TTP members to Pakistan if it cannot rein in them.",
        "contains": ["The crossings were shut on Oct. 12", "known as Tehrik-e-Taliban Pakistan or TTP"],
        "not_contains": ["Skip to main content", "Cloudy", "51.6", "Full Weather", "Sponsored", "___",
                         "contributed to this report", "By SUZAN FRASER", "Associated Press\n"],
        "meta": {"title": "Pakistan and Afghan officials are back in Istanbul for more peace talks after deadly "
                          "border clashes", "agency": "AP", "dateline": "ANKARA",
                 "authors": ["Suzan Fraser", "Munir Ahmed"]},
    },
}


@pytest.mark.parametrize("seed_name", sorted(GOLDEN))
def test_seed_cleaning(seed_name):
    data = (SEEDS / seed_name).read_bytes()
    article = clean_document(seed_name, "sha", len(data), decode_bytes(data))
    golden = GOLDEN[seed_name]
    assert article.body.startswith(golden["starts"])
    assert article.body.endswith(golden["ends"])
    for snippet in golden["contains"]:
        assert snippet in article.body, snippet
    for snippet in golden["not_contains"]:
        assert snippet not in article.body, snippet
    for field, value in golden["meta"].items():
        assert getattr(article.meta, field) == value, field
    assert article.meta.language == "en"


def test_golden_covers_every_seed():
    assert sorted(GOLDEN) == sorted(p.name for p in SEEDS.iterdir())

"""Paragraph-level cleaning shared by plain text and HTML, on invented lines: the zones and signals
(`classify_lines`, `pattern_reason`), datelines, bylines, names and restated paragraphs."""

import pytest

from transforms.article import Metadata, Paragraph
from transforms.clean.paragraphs import (classify_lines, domain_of, ends_sentence, is_paragraph, near_duplicate_pairs,
                                         parse_byline, pattern_reason, proper_case_name, sentences,
                                         split_dateline)


def _classify(lines, from_html):
    paragraphs = [Paragraph(i, line) for i, line in enumerate(lines, start=1)]
    return classify_lines(paragraphs, Metadata(), "\n".join(lines), from_html=from_html)[0]


_RANKING = ["The harbour board ranked the hundred best ferry captains of the decade on Monday evening.",
            "The list was compiled from votes cast by passengers over three months this spring.",
            "The top places went to captains who had sailed the northern route for many years.",
            "100. Lena Voss"]


def test_a_short_last_line_is_chrome_in_plain_text_but_content_in_html():
    assert "100. Lena Voss" not in _classify(_RANKING, from_html=False)
    assert "100. Lena Voss" in _classify(_RANKING, from_html=True)


def test_near_duplicate_paragraphs_stay_in_text_cut_from_html():
    lede = "The harbour board approved the new ferry pier on Monday after a long debate about its cost."
    deck = "The harbour board approved the new ferry pier on Monday after a long debate over its costs."
    lines = [lede, "Work on the pier will start in the spring and take two years to finish, officials said.", deck]
    assert _classify(lines, from_html=False).count("harbour board approved") == 1
    assert _classify(lines, from_html=True).count("harbour board approved") == 2


@pytest.mark.parametrize(("line", "reason"), [
    ("This article contains affiliate links. We may earn a commission if you buy through them.", "sponsored"),
    ("Prices shown are checked daily; we may receive compensation when you click on partner links.", "sponsored"),
    ("Do you want to stay informed about our harbour campaigns? Sign up here", "newsletter"),
    ("Map of the new ferry routes across the bay | © Harbour Board", "copyright"),
    ("|  We need your help Help us keep local reporting free for every reader Donate |", "donation"),
    ("Support us: become a member for less than a coffee a month and keep our newsroom independent.", "donation"),
    ("Please donate today — every contribution keeps the archive open.", "donation"),
])
def test_disclosures_prompts_and_image_credits_are_clutter(line, reason):
    assert pattern_reason(line) == reason


def test_a_sentence_about_compensation_in_the_news_is_not_a_disclosure():
    assert pattern_reason("The union said workers would receive compensation for the lost shifts.") is None
    assert pattern_reason("Help us find the missing hiker, the rescue team urged on Sunday.") is None
    assert pattern_reason("We need your help to understand what happened, the inspector told residents.") is None


def test_a_dateline_is_split_off_with_its_place_and_known_agency():
    dateline, rest = split_dateline("LOWTOWN, Ruritania (Reuters) — Flood barriers held overnight.")
    assert (dateline.text, dateline.place, dateline.agency) == ("LOWTOWN, Ruritania (Reuters) —", "LOWTOWN", "Reuters")
    assert rest == "Flood barriers held overnight."
    mixed, rest = split_dateline("Port Alder (AP) - Ferry crews voted to end the strike.")
    assert (mixed.place, mixed.agency, rest) == ("Port Alder", "AP", "Ferry crews voted to end the strike.")


@pytest.mark.parametrize("line", [
    "WARNING: Ferry crews voted to end the strike.",  # an all-caps label, not a place
    "BREAKING NEWS - Fire closes central station",
    "LOWTOWN (Lowtown Gazette) — Flood barriers held.",  # not an agency we know
])
def test_what_only_looks_like_a_dateline_stays_in_the_text(line):
    assert split_dateline(line) == (None, line)


def test_a_byline_gives_proper_cased_authors_and_the_agency():
    assert parse_byline("By LENA VOSS and OMAR HADDAD, Associated Press") == (["Lena Voss", "Omar Haddad"], "AP")
    assert parse_byline("Written by Jan Kowalski") == (["Jan Kowalski"], None)
    assert parse_byline("By the way, the ferry is late") is None


def test_an_all_caps_name_is_cased_as_names_are():
    assert proper_case_name("LENA MCBRIDE") == "Lena McBride"
    assert proper_case_name("TOM O'NEILL") == "Tom O'Neill"
    assert proper_case_name("OMAR AL-HASSAN") == "Omar Al-Hassan"
    assert proper_case_name("ABU BIN SAID") == "Abu bin Said"
    assert proper_case_name("van Dijk") == "van Dijk"  # mixed case: as written


def test_a_domain_is_the_host_without_www():
    assert domain_of("https://www.example-news.com/rivers/flood") == "example-news.com"
    assert domain_of("example-news.com/rivers") == "example-news.com"
    assert domain_of("localhost") is None and domain_of("http://[::1") is None


def test_sentences_end_at_closing_quotes_too():
    assert ends_sentence('He said "so."') and not ends_sentence("He said so")
    assert sentences('The pier closed. It reopened on Monday. "Good," he said.') == [
        "The pier closed.", "It reopened on Monday.", '"Good," he said.']


def test_a_second_datelined_lede_restates_the_first_and_distinct_paragraphs_do_not():
    ledes = ["HAMBURG (AP) — Port workers in Hamburg ended a three-day strike on Friday after unions and employers "
             "agreed a pay rise of 5 percent, the union said",
             "Ships had queued in the North Sea while the terminals were closed for three days, officials said.",
             "HAMBURG (AP) – Dock workers in Hamburg have ended their three-day strike following an agreement between "
             "unions and employers on a 5 percent pay rise, according to the union, which called it a fair result."]
    assert near_duplicate_pairs(ledes) == {2: 0}
    distinct = ["The transport minister resigned on Monday after a report criticised the rail budget.",
                "The report, published last month, found the rail budget had been overspent by a third.",
                "Opposition leaders said the minister's resignation came too late for rail passengers."]
    assert near_duplicate_pairs(distinct) == {}


def test_a_sentence_in_a_script_without_spaces_is_prose_and_a_short_menu_label_is_not():
    assert is_paragraph("市の港湾局によると、強い風で大型フェリーが岸壁に流されたとみられる。")
    assert is_paragraph("港口管理局表示，一艘渡轮周二上午在强风中撞上码头，三名乘客受轻伤。")
    assert not is_paragraph("ニュース一覧")
    assert not is_paragraph("会社情報・採用情報・お問い合わせ・利用規約・個人情報保護方針・サイトマップ")  # no sentence end

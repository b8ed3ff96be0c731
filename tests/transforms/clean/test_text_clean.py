"""The plain-text line classifier on small invented pages."""

from datetime import date

import pytest

from transforms.clean.text_clean import clean_plain_text, split_lines

PAGE = """Skip to main content
Sunny
72 °F
Full Weather | Traffic
Sponsored By:

Flood defences hold as river peaks in Lowtown

LOWTOWN, Ruritania (Reuters) — Flood barriers held overnight as the Silver River peaked two metres above its normal level, the regional water authority said on Tuesday.

Engineers had reinforced the barriers last week after heavy rain, and about 300 residents were moved to higher ground as a precaution.

Share this article
https://www.example-news.com/rivers/lowtown-flood

"The defences did exactly what they were built to do," said Mira Kovac, the authority's chief engineer.

___

Additional reporting by Jan Novak; Editing by Petra Smit
By ANNA BELL and TOM O'NEILL
Reuters
"""


def test_body_keeps_every_article_line_and_drops_page_clutter():
    body, meta, removed = clean_plain_text(PAGE)
    assert body.startswith("Flood barriers held overnight")
    assert "Engineers had reinforced the barriers" in body
    assert body.rstrip().endswith("the authority's chief engineer.")
    for clutter in ("Skip to main content", "Sunny", "72 °F", "Full Weather", "Sponsored By", "Share this article",
                    "https://", "___", "Additional reporting", "By ANNA BELL"):
        assert clutter not in body
    reasons = {r.text: r.reason for r in removed}
    assert reasons["Skip to main content"] == "navigation"
    assert reasons["72 °F"] == "weather"
    assert reasons["Sponsored By:"] == "sponsored"
    assert reasons["___"] == "separator"


def test_metadata_from_plain_text():
    _, meta, _ = clean_plain_text(PAGE)
    assert meta.title == "Flood defences hold as river peaks in Lowtown"
    assert meta.dateline == "LOWTOWN" and meta.agency == "Reuters"
    assert meta.authors == ["Anna Bell", "Tom O'Neill"]
    assert meta.source_domain == "example-news.com"
    assert meta.credit_text.startswith("Additional reporting by Jan Novak")


def test_every_non_blank_line_is_accounted_for():
    body, _, removed = clean_plain_text(PAGE)
    removed_text = " ".join(r.text for r in removed)
    for line in PAGE.splitlines():
        line = line.strip()
        if line:
            assert line in body or line in removed_text or any(r.text in line for r in removed), line


def test_greetings_and_sign_offs_to_readers_are_clutter():
    text = ("Good morning, dear readers - City council approves new tram line\n"
            "Good morning, dear readers.\n"
            "The city council approved a new tram line on Monday after a two-year debate, officials said.\n"
            "Construction will begin in spring and take three years. Thank you for reading and stay tuned.\n")
    body, meta, removed = clean_plain_text(text)
    assert meta.title == "City council approves new tram line"
    assert "Good morning" not in body
    assert body.endswith("take three years.")
    assert {"greeting", "sign_off"} <= {r.reason for r in removed}


def test_near_duplicate_lede_is_removed_once():
    text = (
        "Port workers end strike after pay deal\n\n"
        "HAMBURG (AP) — Port workers in Hamburg ended a three-day strike on Friday after unions and employers "
        "agreed a pay rise of 5 percent, the union said\n\n"
        "HAMBURG (AP) – Dock workers in Hamburg have ended their three-day strike following an agreement between "
        "unions and employers on a 5 percent pay rise, according to the union, which called it a fair result.\n\n"
        "Ships had queued in the North Sea while the terminals were closed.\n")
    body, _, removed = clean_plain_text(text)
    assert body.startswith("Port workers in Hamburg ended")
    assert "Dock workers" not in body
    assert [r.reason for r in removed if "Dock workers" in r.text] == ["near_duplicate"]
    assert "Ships had queued" in body


def test_distinct_paragraphs_on_one_topic_are_not_duplicates():
    text = ("Minister resigns\n\n"
            "The transport minister resigned on Monday after a report criticised the rail budget.\n\n"
            "The report, published last month, found the rail budget had been overspent by a third.\n\n"
            "Opposition leaders said the minister's resignation came too late for rail passengers.\n")
    body, _, removed = clean_plain_text(text)
    assert [r.reason for r in removed] == ["title"]
    assert body.count("\n\n") == 2


def test_numeric_date_line_is_read_day_first_with_evidence():
    text = "4.10.2024\n\nHarbour reopens\n\nThe harbour reopened on September 28 after repairs, the port said.\n"
    _, meta, _ = clean_plain_text(text)
    assert meta.published_date == date(2024, 10, 4)
    us_text = "10/4/2024\n\nHarbour reopens\n\nThe harbour reopened on September 28 after repairs, the port said.\n"
    assert clean_plain_text(us_text)[1].published_date == date(2024, 10, 4)


def test_quoted_headline_loses_its_quotes():
    _, meta, _ = clean_plain_text('"Rain delays final"\n\nThe final was delayed by two hours on Sunday, organisers said.\n')
    assert meta.title == "Rain delays final"


def test_article_without_headline_has_no_title():
    body, meta, _ = clean_plain_text("The final was delayed by two hours on Sunday, organisers said. Fans waited.\n")
    assert meta.title is None and body.startswith("The final was delayed")


def test_hard_wrapped_lines_are_joined():
    lines = split_lines("The committee met on Monday and agreed a new\nbudget for the coming year.\n")
    assert len(lines) == 1 and lines[0].text.endswith("new budget for the coming year.")


def test_headline_without_any_shared_word_is_not_a_title():
    text = ("Listen to this article\n"
            "The harbour authority reopened the northern pier on Friday after storm repairs were completed.\n"
            "Fishing boats returned to the pier within hours, the harbour master said.\n")
    body, meta, removed = clean_plain_text(text)
    assert meta.title is None
    assert body.startswith("The harbour authority reopened")


def test_label_headlines_are_not_datelines():
    text = ("BREAKING NEWS - Fire closes central station\n"
            "A fire closed the central station on Monday morning, the fire brigade said.\n"
            "Trains were diverted to the western terminal while the fire was put out.\n")
    body, meta, _ = clean_plain_text(text)
    assert meta.title == "BREAKING NEWS - Fire closes central station" and meta.dateline is None
    assert body.startswith("A fire closed")


def test_written_by_byline():
    text = ("Fire closes central station\nWritten by Jan Kowalski\n"
            "A fire closed the central station on Monday morning, the fire brigade said.\n")
    _, meta, removed = clean_plain_text(text)
    assert meta.authors == ["Jan Kowalski"] and meta.title == "Fire closes central station"


def test_off_topic_furniture_inside_the_body_is_removed_but_subheadings_stay():
    text = ("Fire closes central station\n\n"
            "A fire closed the central station on Monday morning, the fire brigade said.\n\n"
            "Around the web\n\n"
            "Trains were diverted to the western terminal while crews fought the fire.\n\n"
            "Diverted trains\n\n"
            "Commuters faced delays of up to an hour on diverted trains, the operator said.\n")
    body, _, removed = clean_plain_text(text)
    assert "Around the web" not in body
    assert "Diverted trains" in body
    assert [r.reason for r in removed if r.text == "Around the web"] == ["page_chrome"]


def test_tables_and_lists_survive():
    rows = "\n".join(f"{i} Team{'ABCDE'[i]} {30 - i} points" for i in range(5))
    text = ("League table after round ten\n\n"
            "The league leaders extended their lead on Sunday with a fifth straight win, the league said.\n\n"
            f"{rows}\n\n"
            "The next round is played on Saturday across five grounds.\n")
    body, _, _ = clean_plain_text(text)
    for row in rows.splitlines():
        assert row in body


def test_heading_that_summarises_a_paragraph_is_not_its_duplicate():
    text = ("Deals of the day\n\n"
            "We list the best deals we have found today on games, hardware and electronics for readers.\n\n"
            "Wireless headphones with noise cancelling for $99\n\n"
            "Save $50 on these wireless headphones with noise cancelling, the lowest price we have seen for them.\n")
    body, _, removed = clean_plain_text(text)
    assert "Save $50 on these wireless headphones" in body
    assert not [r for r in removed if r.reason == "near_duplicate"]


def test_job_title_after_a_byline_is_not_an_author():
    text = ("Fire closes central station\nBy JAN KOWALSKI and Eva Berg, Senior Transport Correspondent\n"
            "A fire closed the central station on Monday morning, the fire brigade said.\n")
    _, meta, _ = clean_plain_text(text)
    assert meta.authors == ["Jan Kowalski", "Eva Berg"]


def test_relative_timestamps_reading_times_and_ad_markers_are_clutter():
    lines = ["Published 2 hours ago", "Reading time: 6 minutes", "Fire closes central station",
             "A fire closed the central station on Monday morning, the fire brigade said.",
             "Article continues after this ad", "Also read: Ticket prices rise again",
             "Trains will run to a temporary platform from Wednesday, the operator said.",
             "Get our evening alerts in your inbox", "Paid Partner Content"]
    body, meta, removed = clean_plain_text("\n\n".join(lines))
    assert meta.title == "Fire closes central station"
    assert body.count("\n\n") == 1  # exactly the two article paragraphs
    reasons = {r.text: r.reason for r in removed}
    assert reasons["Published 2 hours ago"] == "timestamp" and reasons["Reading time: 6 minutes"] == "reading_time"
    assert reasons["Article continues after this ad"] == "sponsored"
    assert reasons["Get our evening alerts in your inbox"] == "newsletter"


def test_instructions_in_the_news_are_not_sign_offs():
    text = ("Ice closes mountain roads\n\nPolice closed two mountain roads on Sunday after freezing rain.\n\n"
            "Take care when driving on icy roads, police said in a statement on Sunday evening.\n\nHave a great weekend, everyone!\n")
    body, _, removed = clean_plain_text(text)
    assert "Take care when driving" in body and "Have a great weekend" not in body


def test_date_line_under_a_deck_is_the_publication_date():
    page = ("Harbour strike ends after nine days\n"
            "Dockers Accept Revised Pay Offer\n"
            "UPDATED 6: 45 AM EST Mar 14, 2019\n"
            "Dock workers in Port Linden voted on Wednesday to accept a revised pay offer, ending a strike that "
            "had stranded dozens of ships.\n"
            "The union said the first cranes would restart on Thursday morning.\n")
    body, meta, removed = clean_plain_text(page)
    assert meta.published_date == date(2019, 3, 14)
    assert "UPDATED" not in body and any(r.reason == "date_line" for r in removed)


def test_last_updated_line_is_metadata_but_not_the_publication_date():
    text = ("Ferry timetable changes for the winter season\n\nLast updated: 9 November 2022\n\n"
            "The island ferry will run four crossings a day from December, down from seven, the operator said.\n\n"
            "Passengers with season tickets will be offered a partial refund, it added.\n")
    body, meta, removed = clean_plain_text(text)
    assert "Last updated" not in body
    assert any(r.reason == "date_line" and r.text.startswith("Last updated") for r in removed)
    assert meta.published_date is None
    assert meta.field_issues == ["published_date: the page gives it only as a last-update date (2022-11-09)"]


@pytest.mark.parametrize("line", ["30 February 2024", "Published: 2023-02-29", "31.04.2024"])
def test_a_date_line_no_calendar_has_is_refused_with_a_field_issue(line):
    text = (f"Ferry strike ends after four days\n\n{line}\n\n"
            "Ferry crews in Port Alder voted on Friday to end a four-day strike, the union said.\n\n"
            "The operator said timetables would return to normal within a week.\n")
    body, meta, removed = clean_plain_text(text)
    assert meta.published_date is None and meta.published_date_text == line
    [issue] = meta.field_issues
    assert issue.startswith("published_date: not a calendar date (") and issue.endswith("in published_date_text")
    assert line not in body and any(r.reason == "date_line" and r.text == line for r in removed)


def test_a_wire_dateline_with_its_date_is_never_clutter():
    text = ("Harbour Strike Ends After Nine Days\n\nMarch 9, 2024\n\nROTTERDAM, March 8 (Reuters) --\n\n"
            "Dock workers voted on Friday to end a strike that had stranded dozens of container ships.\n")
    body, meta, removed = clean_plain_text(text)
    assert body.startswith("ROTTERDAM, March 8 (Reuters) --")
    assert not any(r.text.startswith("ROTTERDAM") for r in removed)
    assert meta.published_date == date(2024, 3, 9)


def test_a_date_line_with_a_clock_time_is_the_date_not_navigation():
    text = "Harbour Strike Ends\n\nMay 2, 2013 | 5:03pm\n\nDock workers voted on Thursday to end a nine-day strike.\n"
    body, meta, removed = clean_plain_text(text)
    assert meta.published_date == date(2013, 5, 2)
    assert "5:03pm" not in body


def test_numeric_date_line_follows_the_order_the_page_shows_or_says_it_guessed():
    proven = ("05 / 03 / 2013\n\nHarbour reopens\n\nThe harbour reopened after repairs, the port said.\n\n"
              "Comments closed 12/26/2013\n")
    _, meta, _ = clean_plain_text(proven)
    assert meta.published_date == date(2013, 5, 3) and not meta.field_issues  # 12/26 is month-first
    unproven = "05 / 03 / 2013\n\nHarbour reopens\n\nThe harbour reopened after repairs, the port said.\n"
    _, meta, _ = clean_plain_text(unproven)
    assert meta.published_date == date(2013, 3, 5)
    assert any("day/month order" in issue for issue in meta.field_issues)

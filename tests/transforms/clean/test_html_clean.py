"""HTML cleaning on small pages of our own: main text kept, page furniture gone and audited."""

from datetime import date

import pytest

from transforms.clean.html_clean import _authors, clean_html, parse_html, union_lines, visible_blocks

ARTICLE_PARAGRAPHS = [
    "The city of Lowtown opened its new library on Saturday after three years of construction, the mayor said.",
    "The building holds 200,000 books and a public archive of local newspapers going back to 1850.",
    "Residents queued for more than an hour to get library cards on the first day, staff said.",
]


def page(body_extra: str = "", head_extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return f"""<!DOCTYPE html><html lang="en"><head><title>Lowtown opens new library | Lowtown Gazette</title>
    <meta property="og:title" content="Lowtown opens new library">
    <meta name="author" content="Jane Roe">
    <meta property="article:published_time" content="2024-05-04T09:00:00Z">
    <meta property="og:site_name" content="Lowtown Gazette">
    <link rel="canonical" href="https://www.lowtown-gazette.example/news/library">{head_extra}</head>
    <body>
      <nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
        <li><a href="/sport">Sport</a></li></ul></nav>
      <div id="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
      <article><h1>Lowtown opens new library</h1>{paragraphs}</article>
      <aside class="related-stories"><h3>Related stories</h3><ul><li><a href="/a">Council backs budget plan for schools</a></li>
        <li><a href="/b">New bus routes start in June across the city</a></li></ul></aside>
      <section class="comments"><p>Great news for the town, finally somewhere quiet to read!</p></section>
      <footer>© 2024 Lowtown Gazette. All rights reserved.</footer>{body_extra}
    </body></html>"""


def test_main_text_kept_and_clutter_removed():
    body, meta, removed = clean_html(page())
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in body
    for clutter in ("Home", "We use cookies", "Related stories", "Council backs budget", "Great news for the town",
                    "All rights reserved"):
        assert clutter not in body
    reason_of = {r.text[:30]: r.reason for r in removed}
    assert reason_of["Home"] == "navigation"
    assert reason_of["We use cookies to improve your"] == "cookie"
    assert reason_of["Related stories"] == "related_links"
    assert reason_of["Great news for the town, final"] == "comments"
    assert reason_of["© 2024 Lowtown Gazette. All ri"] == "footer"


def test_metadata_from_html():
    _, meta, _ = clean_html(page())
    assert meta.title == "Lowtown opens new library"
    assert meta.authors == ["Jane Roe"]
    assert meta.published_date == date(2024, 5, 4)
    assert meta.source_domain == "lowtown-gazette.example"
    assert meta.sitename == "Lowtown Gazette"


def test_script_style_and_iframe_content_never_reaches_the_body():
    extra = ("<script>var secret = 'tracking-code-123';</script><style>.x{color:red}</style>"
             "<iframe src='https://ads.example/frame'>iframe text here</iframe>")
    body, _, removed = clean_html(page(body_extra=extra))
    assert "tracking-code-123" not in body and "color:red" not in body and "iframe text" not in body
    assert all("tracking-code-123" not in r.text for r in removed)


def test_deeply_nested_text_is_not_lost():
    deep = "<div>" * 600 + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS) + "</div>" * 600
    html = f"<html><head><title>Deep page</title></head><body>{deep}</body></html>"
    body, _, _ = clean_html(html)
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in body
    assert any(ARTICLE_PARAGRAPHS[0] in text for text, _ in visible_blocks(parse_html(html)))


def test_xml_entity_expansion_is_not_expanded():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><html><body><p>&lol3;</p>'
            + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS) + "</body></html>")
    body, _, _ = clean_html(bomb)
    assert "lollollol" not in body


def test_body_split_across_same_class_chunks_is_rejoined():
    history = [f"In {year}, the old reading room on Market Street was {what}, and the collection moved "
               f"between temporary homes while the council argued over the cost of a new building."
               for year, what in ((1962, "flooded"), (1974, "closed for repairs"), (1988, "sold"),
                                  (1995, "reopened briefly"), (2003, "condemned"), (2011, "demolished"))]
    first = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS + history)
    second = ("<p>Library officials said a second branch would open in the north of the city next spring, once "
              "funding from the regional council has been confirmed by its finance committee.</p>"
              "<p>The mayor thanked the volunteers who had catalogued the newspaper archive over two winters.</p>")
    chunk = '<div class="grid-row"><div class="article-body chunk">{}</div><div class="ad-rail">Ad</div></div>'
    html = (f"<html><head><title>Lowtown opens new library</title></head><body><main><article>"
            f"<h1>Lowtown opens new library</h1>{chunk.format(first)}{chunk.format(second)}</article></main>"
            f"</body></html>")
    body, _, _ = clean_html(html)
    assert ARTICLE_PARAGRAPHS[0] in body
    assert "a second branch would open" in body and "thanked the volunteers" in body
    assert body.index(ARTICLE_PARAGRAPHS[0]) < body.index("a second branch")


def test_rejoining_split_chunks_keeps_lines_the_first_extraction_had():
    first = "Intro\nItem one text\nItem two text"
    rejoined = "Item one text\nItem two text\nItem three text"
    assert union_lines(first, rejoined).split("\n") == ["Intro", "Item one text", "Item two text", "Item three text"]
    assert union_lines("A\nB", "A\nX\nB") == "A\nX\nB"


def test_a_moved_dateline_does_not_mark_its_paragraph_as_removed():
    lede = ("OSLO – A total of 4,000 library books were returned in a single week after the city waived its late "
            "fees, officials said on Monday.")
    html = page().replace(f"<p>{ARTICLE_PARAGRAPHS[0]}</p>", f"<p>{lede}</p><p>{ARTICLE_PARAGRAPHS[0]}</p>")
    body, meta, removed = clean_html(html)
    assert meta.dateline_text == "OSLO –" and body.startswith("A total of 4,000 library books")
    assert not [r for r in removed if r.kind == "clutter" and "library books were returned" in r.text]
    dateline = next(r for r in removed if r.reason == "dateline")
    assert visible_blocks(parse_html(html))[dateline.line_no - 1][0].startswith("OSLO –")


def test_newsletter_box_inside_the_article_is_removed_and_audited():
    box = ('<div class="newsletter-signup"><p>Thanks for signing up!</p>'
           '<p>There was an error processing your subscription.</p></div>')
    html = page().replace(f"<p>{ARTICLE_PARAGRAPHS[1]}</p>", f"<p>{ARTICLE_PARAGRAPHS[1]}</p>{box}")
    body, _, removed = clean_html(html)
    assert ARTICLE_PARAGRAPHS[2] in body
    assert "Thanks for signing up" not in body and "error processing your subscription" not in body
    assert any(r.reason == "newsletter" and "Thanks for signing up" in r.text for r in removed)


def test_related_links_block_at_the_end_is_cut():
    related = ("<p>You may also like...</p><p>Council backs budget plan for schools</p>"
               "<p>Who will run the new city museum?</p><p>Bus routes change across the north in June</p>")
    html = page().replace(f"<p>{ARTICLE_PARAGRAPHS[2]}</p>", f"<p>{ARTICLE_PARAGRAPHS[2]}</p>{related}")
    body, _, removed = clean_html(html)
    assert body.rstrip().endswith(ARTICLE_PARAGRAPHS[2])
    assert {r.text for r in removed if r.reason == "related_links"} >= {"You may also like...",
                                                                        "Who will run the new city museum?"}


def test_every_removed_block_is_audited_once_with_its_page_block_number():
    body, _, removed = clean_html(page())
    blocks = visible_blocks(parse_html(page()))
    assert len({r.line_no for r in removed}) == len(removed)
    for item in removed:
        assert 1 <= item.line_no <= len(blocks)
        assert item.text in blocks[item.line_no - 1][0] or blocks[item.line_no - 1][0] in item.text


def test_a_question_put_to_each_interviewee_is_kept_every_time():
    question = "What did you read first when the library opened its doors?"
    answers = [f"<p>{question}</p><p>— I went straight to the newspaper archive and read about {year}, "
               f"when my grandparents first arrived in the town.</p>" for year in (1901, 1923, 1950)]
    html = f"<html><body><article><h1>Readers remember</h1>{''.join(answers)}</article></body></html>"
    body, _, _ = clean_html(html)
    assert body.count(question) == 3


@pytest.mark.parametrize("levels", [2_048, 3_000, 100_000])
def test_very_deep_pages_are_flattened_and_keep_their_text(levels):
    """libxml2 stops at 2,048 levels and drops the rest of the page: the page is flattened first."""
    deep = "<div>" * levels + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS) + "</div>" * levels
    html = (f"<html><head><title>Deep page</title></head><body>{deep}"
            "<p>After the deep part, the last paragraph of the story says the library opens at nine.</p></body></html>")
    body, meta, _ = clean_html(html)
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in body
    assert body.endswith("the library opens at nine.")
    assert meta.title == "Deep page"


def test_author_metadata_without_placeholders_degrees_or_the_site():
    assert _authors("Grant Tinsley; PhD") == ["Grant Tinsley"]
    assert _authors("No Author") == [] and _authors("Follow") == []
    assert _authors("Lena Voss Jr") == ["Lena Voss Jr."]
    assert _authors("Rhein; Main Verlag", "RHEIN & MAIN") == []
    assert _authors("Ana Lind and Tomas Berg", "Harbour Times") == ["Ana Lind", "Tomas Berg"]


def test_a_visible_byline_repeating_the_metadata_author_adds_no_affiliations():
    page = ("<html><head><meta name='author' content='Ana Lind'><title>Port plan</title></head><body><article>"
            "<h1>Port plan</h1><p>By Ana Lind, Harbour Project Marketing, Acme</p>"
            + "".join(f"<p>The harbour board met on Monday to discuss plan number {i} for the new pier, "
                      "which would double the number of ferries that can dock at once.</p>" for i in range(6))
            + "</article></body></html>")
    _, meta, _ = clean_html(page)
    assert meta.authors == ["Ana Lind"]


@pytest.mark.parametrize(("title", "sitename", "host", "expected"), [
    ("Harbour plan approved - Harbour Times", "Harbour Times", "www.harbourtimes.example", "Harbour plan approved"),
    ("Harbour plan approved | The Daily Gull", None, "thedailygull.example", "Harbour plan approved"),
    ("Gull News — Harbour plan approved", "Gull News", "gull.example", "Harbour plan approved"),
    ("Lena Voss - Lowtown Wiki", "Lowtown Wiki", "lowtownwiki.example", "Lena Voss"),
    ("Harbour plan - the vote - part 2", "Gull News", "gull.example", "Harbour plan - the vote - part 2"),
    ("Harbour Ferry Enquiries -", None, "ferries.example", "Harbour Ferry Enquiries"),
])
def test_site_name_is_cut_from_the_page_title(title, sitename, host, expected):
    from transforms.clean.html_clean import strip_site_name

    assert strip_site_name(title, sitename, host) == expected


def _headline_page(h1: str) -> str:
    return (f"<html><head><title>x</title></head><body><main><h1>{h1}</h1>"
            + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS) + "</main></body></html>")


@pytest.mark.parametrize(("metadata_title", "h1", "expected"), [
    # the visible headline rewords the social title: the headline readers see wins
    ("Lowtown library opens after three-year wait", "Lowtown finally opens its library after a three-year wait",
     "Lowtown finally opens its library after a three-year wait"),
    ("Ferry fares rise", "Ferry fares rise by a tenth as fuel costs climb", "Ferry fares rise by a tenth as fuel costs climb"),
    # a subtitle set inside the <h1> is not part of the headline
    ("Harbour festival returns", "Harbour festival returns <small class='subtitle'>Three days of boats</small>", None),
    # an <h1> that is the site's name or another story is not the headline
    ("Lowtown library opens after three-year wait", "The Lowtown Gazette", None),
    ("Lowtown library opens after three-year wait", "Council backs budget plan for schools", None),
])
def test_visible_headline_replaces_a_reworded_metadata_title(metadata_title, h1, expected):
    from transforms.clean.html_clean import visible_headline

    assert visible_headline(parse_html(_headline_page(h1)), metadata_title) == expected


def test_clean_html_records_the_h1_as_title_source():
    html = page().replace("<h1>Lowtown opens new library</h1>", "<h1>Lowtown opens new library after three years</h1>")
    _, meta, _ = clean_html(html)
    assert (meta.title, meta.title_source) == ("Lowtown opens new library after three years", "page_h1")


def _byline_page(meta_line: str, head: str = "") -> str:
    return (f"<html><head><title>Lowtown opens new library</title>{head}</head><body><main>"
            f"<h1>Lowtown opens new library</h1><div class='meta'>{meta_line}</div>"
            + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
            + "<aside class='related-stories'><p>By Someone Else</p></aside></main></body></html>")


@pytest.mark.parametrize(("meta_line", "expected"), [
    ("<span>By</span><span><a href='/staff/mira-kovac'>Mira Kovac</a></span>", ["Mira Kovac"]),
    ("<span>new!</span> | By <span>Jan Novak</span> | <time>May 4, 2024</time>", ["Jan Novak"]),
    ("Posted on May 4, 2024 by Petra Smit", ["Petra Smit"]),
    ("By Lowtown Gazette", []),  # the site, not a person
    ("By the newsroom team of 2024", []),
])
def test_visible_byline_names_the_authors_when_metadata_does_not(meta_line, expected):
    _, meta, _ = clean_html(_byline_page(meta_line, '<meta property="og:site_name" content="Lowtown Gazette">'))
    assert meta.authors == expected
    assert meta.authors_source == ("byline" if expected else None)


def test_metadata_authors_are_not_replaced_by_a_visible_byline():
    _, meta, _ = clean_html(_byline_page("By Jan Novak", '<meta name="author" content="Jane Roe">'))
    assert (meta.authors, meta.authors_source) == (["Jane Roe"], "page_metadata")

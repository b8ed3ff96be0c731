"""HTML cleaning on small pages of our own: main text kept, page furniture gone and audited."""

from datetime import date

from transforms.html_clean import clean_html, parse_html, visible_blocks

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
    reasons = {r.reason for r in removed}
    assert {"navigation", "cookie", "related_links", "comments", "footer"} & reasons


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

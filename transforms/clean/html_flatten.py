"""Very deep HTML made shallow before it is parsed, so its text is kept.

libxml2's HTML parser stops at 2,048 levels of nesting and drops the rest of the page, and the extractor
loses text well before that. A page nested deeper than `html_clean.MAX_HTML_DEPTH` is therefore rewritten
from its source, in one pass without recursion (Python's own tokenizer, `html.parser`), before lxml parses
it again: every element deeper than a cap is re-parented to the ancestor at the cap, in document order,
so the deep part of the page becomes a flat run of sibling blocks:

- text below the cap is written inside a copy of the block element it stands in (its start tag as
  written), as a child of the element at the cap; a block that only wraps other blocks (a chain of
  `<div>`s) is never written, and text that follows a nested block in its parent goes into a new copy of
  the parent, so every block boundary of the page is still one;
- inline elements (`<span>`, `<b>`, `<a>` ...) below the cap are unwrapped: their text stays in the block
  around them; line breaks and images are kept.

The depth of the page is followed as libxml2 builds it (end tags close what they name, not across a
higher-ranking block, as in libxml2's `htmlAutoCloseOnClose`); where this pass cannot tell, it assumes
the page is deeper, which only flattens more of it. `clean_html` checks the depth of the re-parsed tree.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

# Elements that never have content (libxml2 closes them at once; so does `<x/>`).
VOID = frozenset("area base basefont bgsound br col embed frame hr img input isindex keygen link meta param "
                 "source track wbr".split())
# Phrasing elements: below the cap their tags are dropped and their text joins the block around them.
INLINE = frozenset("a abbr acronym b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q rp "
                   "rt ruby s samp small span strike strong sub sup time tt u var".split())
# An end tag does not close across an open element of higher rank (libxml2's htmlEndPriority).
_END_RANK = {"div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180, "tfoot": 180, "table": 190,
             "head": 200, "body": 200, "html": 220}
# A start tag of one of these closes an open element of the same name on top (`<li>a<li>b`).
_SELF_CLOSING_SIBLINGS = frozenset("p li dt dd tr td th option".split())
# How far below the top of the open elements an end tag looks for the element it names; farther down, the
# end tag is ignored (the page is then taken as deeper than it may be, which only flattens more).
_END_TAG_REACH = 64


class _Open:
    """An open element: its name, whether it is above the cap, and (below it) the block its text goes in."""

    __slots__ = ("name", "shallow", "raw", "block")

    def __init__(self, name: str, shallow: bool, raw: str | None, block: _Open | None) -> None:
        self.name, self.shallow, self.raw, self.block = name, shallow, raw, block


class _Flattener(HTMLParser):
    def __init__(self, cap: int) -> None:
        super().__init__(convert_charrefs=True)
        self.cap = cap
        self.out: list[str] = []
        self.stack: list[_Open] = []
        self.written: _Open | None = None  # the block below the cap whose copy is open in the output
        self.raw_tags: dict[str, str] = {}  # one string per distinct start tag (a chain repeats one tag)

    # -- elements ------------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in VOID:
            self._content()
            self.out.append(raw)
            return
        if self.stack and self.stack[-1].name == tag and tag in _SELF_CLOSING_SIBLINGS:
            self._pop_to(len(self.stack) - 1)
        if len(self.stack) < self.cap:
            self.out.append(raw)
            self.stack.append(_Open(tag, True, None, None))
        elif tag in INLINE:
            self.stack.append(_Open(tag, False, None, self.stack[-1].block))
        else:
            self._close_written()
            block = _Open(tag, False, self.raw_tags.setdefault(raw, raw), None)
            block.block = block
            self.stack.append(block)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self._content()
        self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        rank = _END_RANK.get(tag, 100)
        for at in range(len(self.stack) - 1, max(-1, len(self.stack) - 1 - _END_TAG_REACH), -1):
            name = self.stack[at].name
            if name == tag:
                self._pop_to(at)
                return
            if _END_RANK.get(name, 100) > rank:
                return  # libxml2 ignores it too

    def _pop_to(self, at: int) -> None:
        """Close the open elements from the top down to index `at`."""
        while len(self.stack) > at:
            entry = self.stack.pop()
            if entry.shallow:
                self.out.append(f"</{entry.name}>")
            elif entry is self.written:
                self._close_written()

    def _close_written(self) -> None:
        if self.written is not None:
            self.out.append(f"</{self.written.name}>")
            self.written = None

    def _content(self) -> None:
        """Content is about to be written: below the cap, it goes in a copy of its block."""
        block = self.stack[-1].block if self.stack else None
        if block is not None and block is not self.written:
            self._close_written()
            self.out.append(block.raw)
            self.written = block

    # -- everything else -----------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self.cdata_elem is not None:  # script or style: written as it came
            self._content()
            self.out.append(data)
            return
        if data.strip():
            self._content()
        self.out.append(html.escape(data, quote=False))

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")

    def handle_comment(self, data: str) -> None:  # comments are dropped by the parser anyway
        pass

    def handle_pi(self, data: str) -> None:  # so are processing instructions
        pass


def flatten_html(text: str, cap: int) -> str:
    """`text` rewritten so that no element is nested more than about `cap` levels deep (see the module
    docstring); text is kept in document order."""
    flattener = _Flattener(cap)
    flattener.feed(text)
    flattener.close()
    flattener._pop_to(0)
    return "".join(flattener.out)

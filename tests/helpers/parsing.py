"""Invented bodies parsed the way an article's body is, for the extraction tests that need spaCy's view."""

from __future__ import annotations

from transforms.extract.mentions import cluster_mentions, doc_mentions


def parse_body(nlp, text: str, link_aliases: bool = False):
    """An invented body parsed, its mentions found and clustered: (doc, mentions, entities). With
    `link_aliases`, aliases the text declares ("X, or Y") join too."""
    doc = nlp(text)
    mentions, entities = cluster_mentions(doc_mentions(doc, "body"), {"body": text} if link_aliases else None)
    return doc, mentions, entities

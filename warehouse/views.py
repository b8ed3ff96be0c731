"""Analyst views over the base tables: name -> (description, SELECT). Business logic lives here, in SQL
an analyst can read, not in the loader.
"""

from __future__ import annotations

VIEWS: dict[str, tuple[str, str]] = {
    "who_said_what": (
        "Every quotation with its speaker (resolved entity where known) and the article it appeared in.",
        """
        SELECT q.quote_id, a.seed_name, a.title, a.published_date,
               coalesce(e.canonical_name, q.speaker_name) AS speaker,
               e.entity_type AS speaker_type, q.attribution_method, q.confidence,
               q.attribution_verb, q.quote_kind, q.quote_text, q.article_id, q.start_char, q.end_char
        FROM quotes q
        JOIN articles a USING (article_id)
        LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
        """,
    ),
    "entity_article_mentions": (
        "How often each entity is named in each article, with the name forms used there.",
        """
        SELECT e.entity_id, e.canonical_name, e.entity_type, m.article_id, a.seed_name,
               count(*) AS mentions, list(DISTINCT m.surface ORDER BY m.surface) AS surfaces
        FROM entity_mentions m
        JOIN entities e USING (entity_id)
        JOIN articles a USING (article_id)
        GROUP BY ALL
        """,
    ),
}

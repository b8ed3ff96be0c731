"""Analyst views over the base tables: name -> (description, SELECT). Business logic lives here, in SQL
an analyst can read, not in the loader.
"""

from __future__ import annotations

_TIMELINE = """
        SELECT se.story_id, s.title AS story_title, se.event_date, se.date_precision, se.date_basis, se.event_type,
               se.modality,
               se.article_count, se.source_count, se.disputed,
               (SELECT count(*) FROM conflicts c WHERE c.story_event_id = se.story_event_id) AS conflict_count,
               se.evidence, se.story_event_id, se.event_id
        FROM story_events se
        JOIN stories s USING (story_id)
        """
_TIMELINE_ORDER = "ORDER BY se.story_id, se.event_date NULLS LAST, se.event_type\n"

VIEWS: dict[str, tuple[str, str]] = {
    "who_said_what": (
        "Every quotation with its speaker (resolved entity where known), the article and story it appeared in. "
        "Scare quotes (terms the writer sets apart, `speaker_status = 'scare_quote'`) are not quotations and are "
        "left out; they stay in `quotes`.",
        """
        SELECT q.quote_id, a.story_id, a.seed_name, a.title,
               coalesce(a.published_date, a.reference_date) AS article_date,
               coalesce(e.canonical_name, q.speaker_name) AS speaker, q.speaker_entity_id,
               e.entity_type AS speaker_type, q.attribution_method, q.speaker_status, q.confidence,
               q.attribution_verb, q.quote_kind, q.quote_text, q.article_id, q.start_char, q.end_char
        FROM quotes q
        JOIN articles a USING (article_id)
        LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
        WHERE q.speaker_status <> 'scare_quote'
        """,
    ),
    "timeline": (
        "What happened when, per story: one row per story event that happened (planned ones are in "
        "`timeline_all`), with how many articles and sources report it and whether they disagree (details in "
        "`conflicts`). Undated events sort last.",
        _TIMELINE + "WHERE se.modality = 'happened'\n" + _TIMELINE_ORDER,
    ),
    "timeline_all": (
        "The timeline with planned events too (announced, expected, scheduled): `modality` says which.",
        _TIMELINE + _TIMELINE_ORDER,
    ),
    "disputed_claims": (
        "Which claims are disputed and by whom: each conflict with both articles' titles, sources and evidence.",
        """
        SELECT c.story_id, se.event_type, se.event_date, c.attribute, c.kind,
               c.value_a, coalesce(aa.source_domain, aa.agency, aa.seed_name) AS source_a, aa.title AS title_a,
               ea.evidence AS evidence_a,
               c.value_b, coalesce(ab.source_domain, ab.agency, ab.seed_name) AS source_b, ab.title AS title_b,
               eb.evidence AS evidence_b, c.conflict_id, c.story_event_id
        FROM conflicts c
        JOIN story_events se USING (story_event_id)
        JOIN articles aa ON aa.article_id = c.article_a
        JOIN articles ab ON ab.article_id = c.article_b
        JOIN events ea ON ea.event_id = c.event_a
        JOIN events eb ON eb.event_id = c.event_b
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

-- What happened when, story by story: one row per story event (planned ones too), oldest first, with how many
-- outlets report it and whether they disagree (see disputed_claims.sql). Undated events come last.
SELECT story_id, story_title, event_date, date_precision, date_basis, event_type, modality, source_count, article_count,
       disputed, conflict_count, evidence
FROM timeline_all
ORDER BY story_id, event_date NULLS LAST, event_type;

-- Where sources disagree: each conflict between two reports of the same story event, side by side (the value,
-- the outlet and the sentence each gives).
SELECT story_id, event_type, event_date, attribute, kind,
       value_a, source_a, evidence_a,
       value_b, source_b, evidence_b
FROM disputed_claims
ORDER BY story_id, event_date NULLS LAST, event_type, attribute, source_a, source_b;

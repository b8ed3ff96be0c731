-- Who is quoted most, and about what: per story, each speaker's quotations, the articles quoting them, and
-- their first three quotes in article order. Unattributed quotes and scare quotes are left out.
SELECT story_id, speaker, speaker_type, count(*) AS quotes, count(DISTINCT article_id) AS articles,
       list(quote_text ORDER BY article_date NULLS LAST, seed_name, start_char)[1:3] AS first_quotes
FROM who_said_what
WHERE speaker IS NOT NULL
GROUP BY story_id, speaker, speaker_type
ORDER BY quotes DESC, articles DESC, speaker;

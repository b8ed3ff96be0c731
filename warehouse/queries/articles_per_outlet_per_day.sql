-- How much each outlet published, day by day: articles by outlet (source domain, else news agency) and by
-- publication date (else the inferred reference date); copies of an article count once.
SELECT coalesce(source_domain, agency, 'unknown') AS outlet,
       coalesce(published_date, reference_date) AS day,
       count(*) AS articles
FROM articles
WHERE duplicate_of IS NULL
GROUP BY ALL
ORDER BY day NULLS LAST, outlet;

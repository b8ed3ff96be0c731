-- Which people, organisations and places are named together: pairs of entities named in the same article,
-- by the number of articles (copies of an article count once), two articles at least.
WITH named AS (
    SELECT DISTINCT m.article_id, m.entity_id
    FROM entity_mentions m
    JOIN articles a USING (article_id)
    WHERE a.duplicate_of IS NULL
)
SELECT ea.canonical_name AS entity_a, ea.entity_type AS type_a,
       eb.canonical_name AS entity_b, eb.entity_type AS type_b,
       count(*) AS articles
FROM named x
JOIN named y ON y.article_id = x.article_id AND x.entity_id < y.entity_id
JOIN entities ea ON ea.entity_id = x.entity_id
JOIN entities eb ON eb.entity_id = y.entity_id
GROUP BY ALL
HAVING count(*) >= 2
ORDER BY articles DESC, entity_a, entity_b;

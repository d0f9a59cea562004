-- The selective filters of the search become tokens of the full-text index
-- (`directory::filter_tokens`): `_dep31` per département covered, `_reg76`
-- per region, `_kindformer` per kind of intervention, `_fmtonsite` /
-- `_fmtremote`, added as literal lexemes to each stored tsvector (the text
-- search parser would drop the `_`, which the words of a text or of a query
-- never contain). Every existing profile gets them, with the same tokens as
-- the code. Rewritten rather than updated, so that the table is not left
-- twice its size (the search reads its pages).
DROP INDEX profile_fts_tsv;
TRUNCATE profile_fts;
INSERT INTO profile_fts (rowid, tsv)
SELECT p.id, to_tsvector('simple', p.search_text) || CAST(concat_ws(' ',
    (SELECT string_agg('_dep' || lower(pd.department_code), ' ')
     FROM profile_departments pd WHERE pd.profile_id = p.id),
    (SELECT string_agg(DISTINCT '_reg' || lower(d.region_code), ' ')
     FROM profile_departments pd JOIN departments d ON d.code = pd.department_code
     WHERE pd.profile_id = p.id),
    (SELECT string_agg('_kind' || replace(pi.kind, '-', ''), ' ')
     FROM profile_interventions pi WHERE pi.profile_id = p.id),
    CASE WHEN p.on_site = 1 THEN '_fmtonsite' END,
    CASE WHEN p.remote = 1 THEN '_fmtremote' END) AS tsvector)
FROM profiles p;
CREATE INDEX profile_fts_tsv ON profile_fts USING GIN (tsv);
-- The planner's statistics of the new lexemes at once: without them, until
-- autovacuum analyzes the table, it takes a region with a kind for 1 row and
-- reads all of its ~4,700 matches to sort them by name.
ANALYZE profile_fts;

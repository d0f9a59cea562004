-- Two aids to the directory search on PostgreSQL (`directory::search`,
-- ARCHITECTURE.md « The directory search on PostgreSQL »):
--
-- 1. Every word of the index, in byte order, so that a word typed as the
--    beginning of words (« sant ») becomes the index's own words that begin
--    so (« sante », « santes »): the GIN index then intersects exact entries,
--    skipping ahead in each, instead of reading every entry of a prefix
--    (0.5 ms instead of 7 for « santé mentale » in a département, at
--    100,000 profiles). Words are only added (`directory::upsert`): a word
--    nobody uses any more matches nothing, which is harmless.
-- 2. A bucket token `_b<id / 4096>` in each vector, so that a broad search
--    takes its first matches a few thousand profiles at a time, in the
--    order of the ids, instead of reading every match.
CREATE TABLE profile_fts_words (word TEXT COLLATE "C" PRIMARY KEY);
INSERT INTO profile_fts_words (word)
SELECT DISTINCT w FROM profile_fts, unnest(tsvector_to_array(tsv)) AS w
WHERE left(w, 1) <> '_';
-- Rewritten rather than updated, so that the table is not left twice its
-- size (the search reads its pages).
DROP INDEX profile_fts_tsv;
CREATE TEMPORARY TABLE profile_fts_before AS SELECT rowid, tsv FROM profile_fts;
TRUNCATE profile_fts;
INSERT INTO profile_fts (rowid, tsv)
SELECT rowid, tsv || CAST('_b' || (rowid / 4096) AS tsvector)
FROM profile_fts_before ORDER BY rowid;
DROP TABLE profile_fts_before;
CREATE INDEX profile_fts_tsv ON profile_fts USING GIN (tsv);
ANALYZE profile_fts;
ANALYZE profile_fts_words;

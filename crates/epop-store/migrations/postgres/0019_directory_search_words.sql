-- Three aids to the directory search on PostgreSQL (`directory::search`,
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
-- 3. Next to each vector, a copy of what the search checks and sorts by
--    (visibility, account, kind of profile, name), so that a match is judged
--    on the row the index already read, without a probe of `profiles` per
--    match, and a broad search in name order walks these rows by name. The copy cannot drift: it is a foreign key to the same columns
--    of `profiles`, ON UPDATE CASCADE — any change of a profile's visibility
--    (a withdrawn consent, an edit) changes it in the same statement.
CREATE TABLE profile_fts_words (word TEXT COLLATE "C" PRIMARY KEY);
INSERT INTO profile_fts_words (word)
SELECT DISTINCT w FROM profile_fts, unnest(tsvector_to_array(tsv)) AS w
WHERE left(w, 1) <> '_';
ALTER TABLE profiles ADD CONSTRAINT profiles_search_copy
    UNIQUE (id, visibility, account_id, kind, sort_name);
-- Rewritten rather than updated, so that the table is not left twice its
-- size (the search reads its pages).
DROP INDEX profile_fts_tsv;
CREATE TEMPORARY TABLE profile_fts_before AS SELECT rowid, tsv FROM profile_fts;
TRUNCATE profile_fts;
ALTER TABLE profile_fts
    ADD COLUMN visibility TEXT NOT NULL,
    ADD COLUMN account_id BIGINT NOT NULL,
    ADD COLUMN kind TEXT NOT NULL,
    ADD COLUMN sort_name TEXT NOT NULL;
INSERT INTO profile_fts (rowid, tsv, visibility, account_id, kind, sort_name)
SELECT b.rowid, b.tsv || CAST('_b' || (b.rowid / 4096) AS tsvector),
       p.visibility, p.account_id, p.kind, p.sort_name
FROM profile_fts_before b JOIN profiles p ON p.id = b.rowid ORDER BY b.rowid;
DROP TABLE profile_fts_before;
ALTER TABLE profile_fts ADD CONSTRAINT profile_fts_copy
    FOREIGN KEY (rowid, visibility, account_id, kind, sort_name)
    REFERENCES profiles (id, visibility, account_id, kind, sort_name)
    ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX profile_fts_tsv ON profile_fts USING GIN (tsv);
-- A broad search in name order walks the index's rows by name.
CREATE INDEX profile_fts_by_name ON profile_fts (sort_name, rowid);
ANALYZE profile_fts;
ANALYZE profile_fts_words;

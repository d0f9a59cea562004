-- Two aids to the directory search on SQLite (`directory::search_sqlite`,
-- ARCHITECTURE.md « The directory search on SQLite »), measured at 100,000
-- profiles:
--
-- 1. SQLite read a profile's row to judge each match of the full-text index
--    (visibility, account, kind of profile) and to sort by name. A profile's
--    row is wide (presentations, search text: about 1 KB), so each match cost
--    a page read of its own outside a 1 MiB page cache: 8 ms of the 9 of a
--    département (the index itself answered in 0.1 ms). A covering index
--    holds what the search reads, by id, 50 rows to a page, kept by SQLite
--    itself with every write (nothing can drift); the search names it
--    (`INDEXED BY`). It has the columns of PostgreSQL's constraint of the
--    same name (migration 19), and the formats, which a search in relevance
--    order checks there rather than in the full-text index (BM25 would count
--    the rows of a format token: half the profiles, 2 to 3 ms a search).
--    The walk in name order (`profiles_by_name`,
--    migration 4) gets the kind of profile too, and `profiles_sort`, the
--    beginning of that index, goes.
-- 2. Every word of the index, as on PostgreSQL (migration 19), so that a word
--    typed as the beginning of words (« sant ») becomes the index's own words
--    that begin so: FTS5 reads a prefix by merging every word of it into one
--    list, and BM25 reads it a second time to count its rows (« santé
--    mentale »: 4 ms as prefixes, 2 as words). Words are only added
--    (`directory::upsert`).
CREATE UNIQUE INDEX profiles_search_copy ON profiles (id, visibility, account_id, kind, sort_name, on_site, remote);
DROP INDEX profiles_sort;
DROP INDEX profiles_by_name;
CREATE INDEX profiles_by_name ON profiles (sort_name, id, visibility, account_id, kind);
CREATE TABLE profile_fts_words (word TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE profile_fts_terms USING fts5vocab(profile_fts, 'row');
INSERT INTO profile_fts_words (word)
SELECT term FROM profile_fts_terms WHERE substr(term, 1, 1) <> '_';
DROP TABLE profile_fts_terms;
